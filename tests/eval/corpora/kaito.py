"""Kaito Precision (Singapore): industrial IoT sensors and monitoring for factories across Asia. HELD OUT: written
before any rule was tuned; its misses are never read while tuning. June 2026; Monday 1 June, Friday 5, Friday 12,
Friday 19, Friday 26; Friday 3 July."""

from __future__ import annotations

from .dsl import C, M, O, P, T

NAME = "kaito"
INDUSTRY = "industrial IoT hardware (Singapore)"
TUNING = False
YEAR = 2026
TZ = "Asia/Singapore"

PEOPLE = {
    "me": P("Wei Ling Tan", "weiling.tan@kaitoprecision.sg", "Managing Director", "Kaito Precision Pte Ltd"),
    "darren": P("Darren Lim", "darren.lim@kaitoprecision.sg", "Sales Director", "Kaito Precision Pte Ltd", "mobile"),
    "priyanka": P("Priyanka Nair", "priyanka.nair@kaitoprecision.sg", "Finance Manager", "Kaito Precision Pte Ltd", "casual"),
    "kenji": P("Kenji Mori", "kenji.mori@kaitoprecision.sg", "Head of Engineering", "Kaito Precision Pte Ltd", "bare"),
    "siti": P("Siti Rahman", "siti.rahman@kaitoprecision.sg", "Customer Support Lead", "Kaito Precision Pte Ltd", "casual"),
    "jason": P("Jason Koh", "jason.koh@kaitoprecision.sg", "Key Account Manager", "Kaito Precision Pte Ltd", "casual"),
    "mei": P("Mei Chen", "mei.chen@kaitoprecision.sg", "Operations Manager", "Kaito Precision Pte Ltd", "casual"),
    "richard": P("Richard Tan", "richard@tanholdings.com.sg", "Chairman", "Kaito Precision Pte Ltd"),
    "alicia": P("Alicia Wong", "alicia.wong@straitsgrowth.com", "Principal", "Straits Growth Capital"),
    # customers
    "hiro": P("Hiroshi Sato", "h.sato@yamatomotors.co.jp", "Plant Manager", "Yamato Motors"),
    "arjun": P("Arjun Mehta", "arjun.mehta@deccansteel.in", "VP Operations", "Deccan Steel"),
    "somchai": P("Somchai Wongsa", "somchai@siampackaging.co.th", "Factory Director", "Siam Packaging", "mobile"),
    "nurul": P("Nurul Aziz", "nurul.aziz@petronasglove.com.my", "Head of Engineering", "Malaya Gloves Berhad"),
    "kevin": P("Kevin Huang", "kevin.huang@formosasemi.com.tw", "Equipment Manager", "Formosa Semiconductor"),
    "linda": P("Linda Nguyen", "linda.nguyen@mekongtextiles.vn", "Operations Director", "Mekong Textiles", "casual"),
    "min": P("Min-jun Kim", "minjun.kim@hanriverchem.kr", "Purchasing Team Lead", "Han River Chemicals"),
    "greg": P("Greg Foster", "gfoster@outbackmining.com.au", "Maintenance Superintendent", "Outback Mining Co", "casual"),
    "wang": P("Wang Lei", "wanglei@pearlriverelec.cn", "Procurement Director", "Pearl River Electronics"),
    "maria": P("Maria Reyes", "mreyes@luzonfoods.ph", "Plant Head", "Luzon Foods"),
    "tommy": P("Tommy Chan", "tommy.chan@victoriaharbour.hk", "COO", "Victoria Harbour Logistics"),
    "budi": P("Budi Santoso", "budi.santoso@javacement.co.id", "Engineering Manager", "Java Cement", "mobile"),
    "sarah": P("Sarah Lee", "sarah.lee@merlionpharma.sg", "Head of Facilities", "Merlion Pharma"),
    "raj": P("Raj Kumar", "raj.kumar@chennaiauto.in", "General Manager", "Chennai Auto Components"),
    "yuki": P("Yuki Tanaka", "y.tanaka@kansaifoods.jp", "Director, Production", "Kansai Foods"),
    "ahmad": P("Ahmad Ismail", "ahmad@penangprecision.my", "CEO", "Penang Precision", "bare"),
    "chen": P("Chen Jia", "chen.jia@shenzhenbattery.cn", "Project Manager", "Shenzhen Battery Works"),
    "paul": P("Paul Anderson", "panderson@kiwidairy.co.nz", "Operations Manager", "Kiwi Dairy Co-op", "casual"),
    "anh": P("Tran Anh", "anh.tran@saigonbeverage.vn", "Technical Director", "Saigon Beverage"),
    "emily": P("Emily Watson", "emily.watson@harbourbridgewater.com.au", "Asset Manager", "Harbour Bridge Water"),
    "lim": P("Lim Boon Keng", "bklim@jurongrefinery.sg", "Reliability Lead", "Jurong Refinery Services"),
    "sunil": P("Sunil Perera", "sunil@ceylontea.lk", "Factory Manager", "Ceylon Tea Estates"),
    "takeshi": P("Takeshi Ito", "t.ito@nagoyaceramics.jp", "Manager, Maintenance", "Nagoya Ceramics"),
    "daniel": P("Daniel Ho", "daniel.ho@taipeimachinery.tw", "Sales Manager", "Taipei Machinery"),
    "rahim": P("Rahim Chowdhury", "rahim@dhakaknit.com.bd", "Director", "Dhaka Knitwear"),
    # vendors and others
    "chipco": P("Jenny Lin", "jenny.lin@hsinchu-mems.com.tw", "Sales Manager", "Hsinchu MEMS Corp"),
    "freight": P("Ravi Shankar", "ravi.s@lionfreight.sg", "Account Executive", "Lion Freight"),
    "audit": P("Grace Teo", "grace.teo@teoandpartners.sg", "Audit Partner", "Teo & Partners"),
    "recruiter": P("Mark Ong", "mark.ong@apactalent.com", "Consultant", "APAC Talent"),
    "husband": P("Alvin Tan", "alvin.tan.sg@gmail.com", "", "", "bare"),
    "friend": P("Rachel Goh", "rachelgoh88@yahoo.com.sg", "", "", "casual"),
    "iiot": P("IIoT Asia Weekly", "weekly@iiotasia.news", "", "", "bare"),
    "trade": P("Singapore Manufacturing Federation", "events@smf.org.sg", "", "", "bare"),
    "shopee": P("Xero", "noreply@xero.com", "", "", "bare"),
    "github": P("Jira", "jira@kaitoprecision.atlassian.net", "", "", "bare"),
    "grab": P("Grab", "no-reply@grab.com", "", "", "bare"),
}

THREADS = [
    # -- deals ---------------------------------------------------------------------------------------------
    T("yamato", "Vibration monitoring for Toyohashi plant", "customer", "important", opp=O("Yamato Motors", "new", 45000000, "JPY"), msgs=[
        M("hiro", ["me"], "06-01 09:00", reply=True, c=[C("k01", "me", "send the quotation for the Toyohashi plant", "2026-06-10")], body=(
            "Dear Ms Tan,\n\nWe have decided to introduce vibration monitoring on 3 press lines at Toyohashi. The "
            "approved budget is JPY 45,000,000. Please send your quotation. Our purchasing department needs it by "
            "10 June.")),
        M("me", ["hiro"], "06-01 11:30", cc=["darren"], also=["k01"], body=(
            "Dear Sato-san,\n\nThank you very much. We will send the quotation by 10 June.")),
    ]),
    T("deccan", "Deccan Steel - rollout to 2 more mills", "customer", "important", opp=O("Deccan Steel", "expansion", 32000000, "INR"), msgs=[
        M("arjun", ["me"], "06-01 13:00", reply=True, body=(
            "Hi Wei Ling,\n\nThe Vizag pilot is a success. We want to extend to our Bellary and Salem mills; "
            "management has sanctioned ₹3.2 crore for this. Please share the commercial proposal.")),
        M("me", ["arjun"], "06-01 15:00", cc=["jason"], c=[C("k02", "jason", "share the commercial proposal for the two mills", "2026-06-05")], body=(
            "Arjun, fantastic news. Jason will share the commercial proposal by Friday.")),
    ]),
    T("siam", "quote pls", "customer", "important", opp=O("Siam Packaging", "new", 12000000, "THB"), msgs=[
        M("somchai", ["darren"], "06-02 08:15", cc=["me"], body=(
            "Darren, we are ready to go ahead for 2 factories. budget THB 12 million. pls send quote asap")),
        M("darren", ["somchai"], "06-02 09:00", cc=["me"], c=[C("k03", "darren", "send the quote for two factories", "2026-06-03")], body=(
            "Somchai, thanks! I will send the quote tomorrow.")),
    ]),
    T("malaya", "Renewal of monitoring contract FY2026/27", "customer", "important", opp=O("Malaya Gloves Berhad", "renewal", 2500000, "MYR"), msgs=[
        M("nurul", ["me"], "06-02 10:30", reply=True, c=[C("k04", "me", "send the renewal offer", "2026-06-12")], body=(
            "Dear Wei Ling,\n\nOur monitoring contract (RM 2.5 million) expires on 30 June. We would like to renew "
            "for another two years. Kindly send the renewal offer. We need it before our board meeting on 15 June, "
            "so please send it by 12 June.")),
    ]),
    T("formosa", "Add predictive module to existing sensors", "customer", "important", opp=O("Formosa Semiconductor", "upsell", 12000000, "TWD"), msgs=[
        M("kevin", ["jason"], "06-03 14:00", cc=["me"], body=(
            "Hi Jason,\n\nWe'd like to add the predictive maintenance analytics to the 400 sensors already installed. "
            "Budget approved: NT$12,000,000. Please send the quotation.")),
        M("jason", ["kevin"], "06-03 15:30", cc=["me"], c=[C("k05", "jason", "send the quotation for the analytics module", "2026-06-08")], body=(
            "Hi Kevin, thank you! I'll send the quotation on Monday.")),
    ]),
    T("mekong", "interested in your sensors", "customer", "important", opp=O("Mekong Textiles", "new", 410000, "USD"), msgs=[
        M("linda", ["me"], "06-03 16:00", reply=True, body=(
            "Hi Wei Ling, we saw your demo at the Ho Chi Minh expo. We want to monitor 60 looms and have "
            "US$ 410,000 for the project. Can we set up a call next week?")),
        M("me", ["linda"], "06-03 17:00", c=[C("k06", "me", "send times for a call", "2026-06-04")], body=(
            "Hi Linda, lovely to hear from you! I'll send you a few times tomorrow.")),
    ]),
    T("hanriver", "RFQ: condition monitoring system (RFQ-HRC-0612)", "customer", "important", opp=O("Han River Chemicals", "new", 850000000, "KRW"), msgs=[
        M("min", ["me"], "06-04 08:00", reply=True, c=[C("k07", "me", "submit the RFQ response", "2026-06-19")], body=(
            "Dear Kaito Precision,\n\nHan River Chemicals invites you to quote for a condition monitoring system for "
            "our Ulsan plant. Estimated budget: KRW 850,000,000. Submission deadline is 19 June 2026, 18:00 KST.")),
    ]),
    T("outback", "sensors for the haul trucks", "customer", "important", opp=O("Outback Mining Co", "expansion", 1200000, "AUD"), msgs=[
        M("greg", ["me"], "06-04 11:00", reply=True, body=(
            "G'day Wei Ling, the crusher sensors have been great. We want to put them on the haul fleet too - about "
            "A$1.2m. Can you get me a proposal before the end of the month?")),
        M("me", ["greg"], "06-04 12:00", cc=["darren"], c=[C("k08", "me", "send the proposal for the haul fleet", "2026-06-30")], body=(
            "Hi Greg, great to hear. Yes, you'll have the proposal before the end of the month.")),
    ]),
    T("pearlriver", "Pearl River - annual contract renewal", "customer", "important", opp=O("Pearl River Electronics", "renewal", 6800000, "CNY"), msgs=[
        M("wang", ["me"], "06-05 09:30", reply=True, body=(
            "Dear Ms Tan,\n\nWe plan to renew the annual service contract (CNY 6.8 million). But we ask a 8% "
            "discount because of volume. Please advise.")),
        M("me", ["wang"], "06-05 10:30", c=[C("k09", "me", "reply on the discount request", "2026-06-09")], body=(
            "Dear Mr Wang,\n\nThank you for your continued trust. I will discuss with our finance team and reply "
            "by Tuesday.")),
    ]),
    T("luzon", "Request for proposal - cold chain monitoring", "customer", "important", opp=O("Luzon Foods", "new", 240000, "SGD"), msgs=[
        M("maria", ["me"], "06-05 14:00", reply=True, c=[C("k10", "me", "send a proposal for cold chain monitoring", "2026-06-15")], body=(
            "Dear Wei Ling,\n\nLuzon Foods is looking for cold chain monitoring across 4 warehouses. Our budget is "
            "S$240,000. We'd appreciate a proposal by Monday the 15th.")),
    ]),
    T("victoria", "Fleet telematics pilot", "customer", "important", opp=O("Victoria Harbour Logistics", "new", 5600000, "HKD"), msgs=[
        M("tommy", ["me"], "06-08 10:00", reply=True, body=(
            "Wei Ling,\n\nOur board approved HK$5.6 million for condition monitoring on our cranes. We'd like to "
            "start with a pilot on 4 cranes. Could you propose a pilot plan?")),
        M("me", ["tommy"], "06-08 11:15", cc=["kenji"], c=[C("k11", "kenji", "propose a pilot plan for the cranes", "2026-06-12")], body=(
            "Tommy, thank you. Kenji will propose a pilot plan by Friday.")),
    ]),
    T("javacement", "Expansion Tuban plant", "customer", "important", opp=O("Java Cement", "expansion", 650000, "USD"), msgs=[
        M("budi", ["jason"], "06-08 13:00", cc=["me"], body=(
            "Pak Jason, we want to extend monitoring to the Tuban kiln. Budget about USD 650k. Please send "
            "offer.")),
        M("jason", ["budi"], "06-08 14:00", cc=["me"], c=[C("k12", "jason", "send the offer for the Tuban kiln", "2026-06-10")], body=(
            "Pak Budi, noted with thanks. I'll send the offer on Wednesday.")),
    ]),
    T("merlion", "Merlion Pharma - cleanroom monitoring renewal", "customer", "important", opp=O("Merlion Pharma", "renewal", 380000, "SGD"), msgs=[
        M("sarah", ["me"], "06-09 09:00", reply=True, c=[C("k13", "me", "send the renewal quote", "2026-06-16")], body=(
            "Hi Wei Ling,\n\nWe'll renew the cleanroom monitoring service for three more years (SGD 380,000 total). "
            "Could you send the renewal quote within a week? Our procurement cycle closes soon.")),
    ]),
    T("chennai", "Enquiry - machine health monitoring", "customer", "important", opp=O("Chennai Auto Components", "new", 18000000, "INR"), msgs=[
        M("raj", ["me"], "06-09 12:00", reply=True, body=(
            "Dear Madam,\n\nWe are a tier-1 supplier with 3 plants. We are interested in machine health monitoring "
            "and have a budget of INR 1.8 crore. Kindly send details and pricing.")),
        M("me", ["raj"], "06-09 13:00", cc=["darren"], c=[C("k41", "darren", "send details and pricing", "2026-06-12")], body=(
            "Dear Mr Kumar,\n\nThank you for your enquiry. Darren Lim will send you details and pricing by 12 June.")),
    ]),
    T("kansai", "Kansai Foods - line 2 and 3", "customer", "important", opp=O("Kansai Foods", "expansion", 8500000, "JPY"), msgs=[
        M("yuki", ["me"], "06-10 09:00", reply=True, body=(
            "Dear Wei Ling-san,\n\nLine 1 works very well. We want to add sensors on lines 2 and 3, around ¥8.5 "
            "million. Could you send an estimate?")),
        M("me", ["yuki"], "06-10 10:00", cc=["jason"], c=[C("k14", "jason", "send the estimate for lines 2 and 3", "2026-06-17")], body=(
            "Dear Tanaka-san,\n\nThank you for the good news. Jason Koh will send the estimate by 17 June.")),
    ]),
    T("penang", "partnership", "customer", "important", opp=O("Penang Precision", "new", None, ""), msgs=[
        M("ahmad", ["me"], "06-10 21:00", reply=True, body=(
            "Wei Ling, we are interested in bundling your sensors with our CNC machines. Can we meet in Penang?")),
    ]),
    T("shenzhen", "Battery line monitoring - pricing", "customer", "important", opp=O("Shenzhen Battery Works", "new", 3400000, "USD"), msgs=[
        M("chen", ["darren"], "06-11 10:00", cc=["me"], c=[C("k15", "darren", "provide pricing for 12 battery lines", "2026-06-19")], body=(
            "Dear Darren,\n\nWe will equip 12 new battery lines with monitoring, total budget $3.4m. Please provide "
            "pricing by next Friday.")),
        M("darren", ["chen"], "06-11 11:00", cc=["me"], also=["k15"], body=(
            "Dear Chen Jia, well received. We will provide the pricing by next Friday.")),
    ]),
    T("kiwi", "Kiwi Dairy renewal + 2 more sites", "customer", "important", opp=O("Kiwi Dairy Co-op", "renewal", 420000, "NZD"), msgs=[
        M("paul", ["me"], "06-12 07:00", reply=True, body=(
            "Hi Wei Ling, we'd like to renew for 2027 (NZ$420k) and keep the same scope. Could you send the "
            "renewal agreement?")),
        M("me", ["paul"], "06-12 09:00", cc=["priyanka"], c=[C("k16", "priyanka", "send the renewal agreement", "2026-06-16")], body=(
            "Hi Paul, wonderful, thank you. Priyanka will send the renewal agreement on Tuesday.")),
    ]),
    T("saigon", "Bottling line monitoring", "customer", "important", opp=O("Saigon Beverage", "new", 95000, "EUR"), msgs=[
        M("anh", ["me"], "06-15 09:00", reply=True, c=[C("k17", "me", "send a proposal for the bottling line", "2026-06-19")], body=(
            "Dear Ms Tan,\n\nOur headquarters in Germany approved EUR 95k for monitoring our bottling line. Please "
            "send a proposal. We need it this week.")),
    ]),
    T("harbourwater", "Pump station monitoring - expansion", "customer", "important", opp=O("Harbour Bridge Water", "expansion", 2100000, "AUD"), msgs=[
        M("emily", ["me"], "06-15 12:00", reply=True, c=[C("k18", "me", "send a proposal for 30 more pump stations", "2026-06-26")], body=(
            "Hi Wei Ling,\n\nFollowing the success of phase 1 we'll extend to 30 more pump stations, budget AUD 2.1 "
            "million. Please send a proposal by 26 June.")),
    ]),
    T("jurong", "Jurong - upgrade to wireless sensors", "customer", "important", opp=O("Jurong Refinery Services", "upsell", 720000, "SGD"), msgs=[
        M("lim", ["jason"], "06-16 09:00", cc=["me"], body=(
            "Jason, we want to upgrade the wired sensors to your wireless range. SGD 720k approved. Send me the "
            "upgrade quote.")),
        M("jason", ["lim"], "06-16 10:00", cc=["me"], c=[C("k19", "jason", "send the upgrade quote", "2026-06-18")], body=(
            "Hi Boon Keng, great! I'll send the upgrade quote on Thursday.")),
    ]),
    T("ceylon", "renewal - tea factory sensors", "customer", "important", opp=O("Ceylon Tea Estates", "renewal", 60000, "USD"), msgs=[
        M("sunil", ["me"], "06-17 10:00", reply=True, body=(
            "Dear Wei Ling,\n\nWe will continue the service for next year, USD 60,000 as before. Please send the "
            "renewal invoice and contract.")),
    ]),
    T("nagoya", "Kiln monitoring - quotation request", "customer", "important", opp=O("Nagoya Ceramics", "new", 22000000, "JPY"), msgs=[
        M("takeshi", ["me"], "06-18 08:00", reply=True, c=[C("k20", "me", "send the quotation for kiln monitoring", "2026-06-30")], body=(
            "Dear Ms Tan,\n\nWe request a quotation for kiln temperature and vibration monitoring, budget 22 million "
            "yen. We would appreciate the quotation by the end of June.")),
    ]),
    T("taipei", "OEM partnership proposal", "customer", "important", opp=O("Taipei Machinery", "new", 1500000, "USD"), msgs=[
        M("daniel", ["me"], "06-22 10:00", reply=True, body=(
            "Dear Wei Ling,\n\nWe would like to integrate your sensors into our injection moulding machines. First "
            "year volume around USD 1.5 million. Could we discuss terms?")),
        M("me", ["daniel"], "06-22 11:00", cc=["darren"], c=[C("k21", "darren", "send the draft OEM terms", "2026-06-26")], body=(
            "Dear Daniel,\n\nThank you, we are very interested. Darren will send the draft OEM terms by Friday.")),
    ]),
    T("dhaka", "Energy monitoring for 5 factories", "customer", "important", opp=O("Dhaka Knitwear", "new", 275000, "USD"), msgs=[
        M("rahim", ["me"], "06-24 15:00", reply=True, c=[C("k42", "me", "send a proposal for energy monitoring", "2026-07-03")], body=(
            "Dear Wei Ling,\n\nOur buyers now require energy monitoring in all five of our factories. We have set "
            "aside $275,000 for it. Could you send a proposal by 3 July?")),
    ]),
    T("siam-support", "sensor offline", "customer", "normal", msgs=[
        M("somchai", ["siti"], "06-09 07:00", cc=["me"], body=("Siti, 3 sensors at line 4 offline since morning. pls check")),
        M("siti", ["somchai"], "06-09 07:40", cc=["me"], c=[C("k22", "siti", "check the offline sensors", "2026-06-09")], body=(
            "Hi Somchai, I'll check remotely now and update you by noon.")),
    ]),
    T("yamato-outage", "URGENT: false alarms stopping press line", "customer", "urgent", msgs=[
        M("hiro", ["me", "siti"], "06-23 08:00", reply=True, c=[C("k23", "me", "explain the false alarms", "2026-06-23")], body=(
            "Ms Tan,\n\nSince this morning your system has triggered false alarms that stopped press line 2 three "
            "times. Production is losing 40 cars per hour. I need an explanation and a fix today.")),
    ]),
    # -- team ----------------------------------------------------------------------------------------------
    T("forecast", "H2 forecast", "team", "normal", msgs=[
        M("me", ["darren"], "06-01 17:00", c=[C("k24", "darren", "send the H2 sales forecast", "2026-06-08")], body=(
            "Darren, please send me the H2 sales forecast by next Monday.")),
        M("darren", ["me"], "06-01 17:20", also=["k24"], body=("OK boss, will send Monday.")),
    ]),
    T("payroll", "Need your approval today - payroll", "team", "urgent", msgs=[
        M("priyanka", ["me"], "06-25 09:00", reply=True, c=[C("k25", "me", "approve the June payroll", "2026-06-25")], body=(
            "Hi Wei Ling,\n\nThe June payroll file is ready in the bank portal. Could you approve it before 5pm "
            "today? Otherwise salaries will be late.")),
    ]),
    T("resign", "Kenji", "team", "urgent", msgs=[
        M("mei", ["me"], "06-11 18:00", reply=True, body=(
            "Wei Ling, Kenji just handed me his resignation letter. He says he's been approached by a competitor. "
            "Can you talk to him today before he tells the team?")),
        M("me", ["mei"], "06-11 18:10", c=[C("k26", "me", "talk to Kenji", "2026-06-11")], body=(
            "Thanks Mei. I'll call him tonight.")),
    ]),
    T("chip-order", "PO approval - MEMS chips", "team", "important", msgs=[
        M("mei", ["me"], "06-04 10:00", reply=True, c=[C("k27", "me", "approve the MEMS chip PO", "2026-06-05")], body=(
            "Hi Wei Ling,\n\nPlease approve the PO for 20,000 MEMS chips (USD 186,000). Hsinchu holds the price "
            "until tomorrow.")),
    ]),
    T("firmware", "Firmware 3.2 release", "team", "normal", msgs=[
        M("kenji", ["me", "siti"], "06-05 15:00", c=[C("k28", "kenji", "release firmware 3.2", "2026-06-12")], body=(
            "Hi all,\n\nFirmware 3.2 passed QA. We will release it to customers next Friday.")),
    ]),
    T("support-stats", "Support stats May", "team", "low", msgs=[
        M("siti", ["me"], "06-02 17:00", body=(
            "FYI May support stats: 212 tickets, median response 38 min. Nothing needed from you.")),
    ]),
    T("trade-show", "Hannover Messe booth", "team", "normal", msgs=[
        M("darren", ["me"], "06-16 14:00", reply=True, body=(
            "Should we book a booth at Hannover Messe next year? Cost is about EUR 30k.")),
        M("me", ["darren"], "06-16 15:00", c=[C("k29", "me", "decide on the Hannover Messe booth", "2026-06-19")], body=(
            "Let me think about it; I'll decide by Friday.")),
    ]),
    T("cashflow", "Cash flow update", "team", "important", msgs=[
        M("me", ["priyanka"], "06-17 09:00", c=[C("k30", "priyanka", "prepare the 13-week cash flow", "2026-06-22")], body=(
            "Priyanka, can you prepare the 13-week cash flow for the investor call? I need it on Monday.")),
        M("priyanka", ["me"], "06-17 09:30", also=["k30"], body=("Sure, will have it ready Monday morning.")),
    ]),
    T("team-lunch", "Team lunch Friday", "team", "normal", msgs=[
        M("mei", ["me", "darren", "kenji", "siti", "jason", "priyanka"], "06-24 11:00", c=[C("k40", "mei", "make the lunch reservation", None)], body=(
            "Hi all, team lunch on Friday at 12:30 at the usual place. I'll make the reservation.")),
    ]),
    # -- board and investors --------------------------------------------------------------------------------
    T("chairman", "Board meeting 30 June", "board", "important", msgs=[
        M("richard", ["me"], "06-02 08:00", reply=True, c=[C("k31", "me", "circulate the board papers", "2026-06-23")], body=(
            "Wei Ling,\n\nFor the board meeting on 30 June please circulate the papers a week ahead, i.e. by 23 "
            "June. I'd also like a short note on the Kenji succession plan.")),
        M("me", ["richard"], "06-02 09:00", also=["k31"], body=(
            "Noted, Richard. The papers will be out by 23 June.")),
    ]),
    T("investor", "Series B - term sheet", "investor", "important", msgs=[
        M("alicia", ["me"], "06-08 16:00", reply=True, c=[C("k32", "me", "send comments on the term sheet", "2026-06-15")], body=(
            "Hi Wei Ling,\n\nAttached is our draft term sheet for the Series B (USD 12m at a USD 60m pre-money). "
            "Could you send your comments by next Monday? Our partners meet on Tuesday.")),
        M("me", ["alicia"], "06-08 18:00", c=[C("k33", "priyanka", "send the updated financial model", "2026-06-10")], body=(
            "Alicia, thank you, this is exciting. I'll review with our chairman, and Priyanka will send the updated "
            "financial model by Wednesday.")),
    ]),
    # -- vendors -------------------------------------------------------------------------------------------
    T("chip-supplier", "Lead time update", "vendor", "normal", msgs=[
        M("chipco", ["mei"], "06-10 10:00", cc=["me"], c=[C("k34", "chipco", "ship the first 10,000 chips", "2026-06-26")], body=(
            "Dear Mei,\n\nThank you for the PO. We will ship the first 10,000 chips by 26 June and the balance in "
            "July.")),
    ]),
    T("freight", "Shipment to Ulsan", "vendor", "normal", msgs=[
        M("freight", ["mei"], "06-18 09:00", cc=["me"], c=[C("k39", "freight", "deliver the shipment to Ulsan", "2026-06-22")], body=(
            "Hi Mei, the shipment to Ulsan has cleared customs. We will deliver it on Monday.")),
    ]),
    T("audit", "FY2025 audit - management letter", "vendor", "important", msgs=[
        M("audit", ["me"], "06-12 14:00", reply=True, c=[C("k35", "me", "sign the management representation letter", "2026-06-19")], body=(
            "Dear Wei Ling,\n\nThe audit is complete. Please sign the management representation letter and return "
            "it to us by 19 June so we can issue the report.")),
    ]),
    T("freight-quote", "Your freight rates for H2", "vendor", "normal", msgs=[
        M("freight", ["me"], "06-19 11:00", body=(
            "Dear Wei Ling,\n\nPlease find our freight rates for H2 2026. The annual contract would be SGD 85,000. "
            "Let us know if you have questions.")),
    ]),
    # -- recruiting ----------------------------------------------------------------------------------------
    T("recruiter", "Head of Engineering - candidates", "recruiting", "normal", msgs=[
        M("recruiter", ["me"], "06-15 10:00", reply=True, c=[C("k36", "recruiter", "send the candidate profiles", "2026-06-17")], body=(
            "Dear Wei Ling,\n\nFollowing your brief, I have three candidates for Head of Engineering. I will send "
            "their profiles by Wednesday. Are you free for a call on Thursday?")),
    ]),
    # -- personal ------------------------------------------------------------------------------------------
    T("home", "Dinner with my parents", "personal", "normal", msgs=[
        M("husband", ["me"], "06-05 13:00", reply=True, c=[C("k37", "me", "book the restaurant", "2026-06-06")], body=(
            "Dear, can you book the restaurant for dinner with my parents on Sunday? Please book by tomorrow, it gets "
            "full.")),
    ]),
    T("friend", "catch up?", "personal", "normal", msgs=[
        M("friend", ["me"], "06-20 20:00", reply=True, body=(
            "Hey babe! Long time. Coffee next Saturday?")),
        M("me", ["friend"], "06-20 21:00", c=[C("k38", "me", "confirm the coffee time", "2026-06-22")], body=(
            "Yes please! I'll confirm the time on Monday.")),
    ]),
    # -- newsletters and notifications ------------------------------------------------------------------------
    T("nl-1", "IIoT Asia Weekly: predictive maintenance ROI", "newsletter", "low", kind="newsletter", msgs=[
        M("iiot", ["me"], "06-03 06:00", body=(
            "This week: predictive maintenance ROI in Asian plants, a $50m funding round, and our buyer's guide. Read "
            "more. Unsubscribe.")),
    ]),
    T("nl-2", "IIoT Asia Weekly: 5G in factories", "newsletter", "low", kind="newsletter", msgs=[
        M("iiot", ["me"], "06-17 06:00", body=(
            "5G private networks arrive in factories. Webinar on Thursday. View in browser. Manage preferences.")),
    ]),
    T("nl-3", "SMF events: Industry 4.0 summit", "newsletter", "low", kind="newsletter", msgs=[
        M("trade", ["me"], "06-10 08:00", body=(
            "Register for the Industry 4.0 summit on 15 July. Early bird rate S$350 until 30 June. Unsubscribe.")),
    ]),
    T("xero-1", "Invoice INV-0612 has been paid", "newsletter", "low", kind="notification", msgs=[
        M("shopee", ["me"], "06-12 09:00", body=(
            "Invoice INV-0612 to Merlion Pharma for SGD 31,666.67 has been paid.")),
    ]),
    T("jira-1", "[KP-881] Sensor calibration drift assigned to you", "newsletter", "low", kind="notification", msgs=[
        M("github", ["me"], "06-16 11:00", body=(
            "Kenji Mori assigned KP-881 Sensor calibration drift to you. View issue.")),
    ]),
    T("grab-1", "Your Grab receipt", "newsletter", "low", kind="notification", msgs=[
        M("grab", ["me"], "06-19 19:00", body=("Thanks for riding with Grab. Total paid: S$18.40.")),
    ]),
]
