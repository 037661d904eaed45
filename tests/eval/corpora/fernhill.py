"""Fernhill Software (London): revenue-management software for hotels. The TUNING corpus (rules may be tuned on
its misses). March 2026; Monday 2 March, Friday 6, Friday 13, Friday 20, Friday 27."""

from __future__ import annotations

from .dsl import C, M, O, P, T

NAME = "fernhill"
INDUSTRY = "hospitality software (UK)"
TUNING = True
YEAR = 2026
TZ = "Europe/London"

PEOPLE = {
    "me": P("Hannah Okafor", "hannah@fernhill.io", "Chief Executive", "Fernhill Software Ltd"),
    "tom": P("Tom Reyes", "tom.reyes@fernhill.io", "VP Sales", "Fernhill Software Ltd", "casual"),
    "priya": P("Priya Shah", "priya.shah@fernhill.io", "CFO", "Fernhill Software Ltd", "casual"),
    "liam": P("Liam Doyle", "liam.doyle@fernhill.io", "Head of Customer Success", "Fernhill Software Ltd", "casual"),
    "aisha": P("Aisha Bello", "aisha.bello@fernhill.io", "CTO", "Fernhill Software Ltd", "bare"),
    "georgia": P("Georgia Finch", "georgia.finch@fernhill.io", "Sales Director", "Fernhill Software Ltd", "mobile"),
    "ravi": P("Ravi Menon", "ravi.menon@fernhill.io", "Engineering Manager", "Fernhill Software Ltd", "casual"),
    "marcus": P("Marcus Hale", "marcus@larkspur.vc", "Partner", "Larkspur Ventures"),
    "elaine": P("Elaine Porter", "elaine.porter@porteradvisory.co.uk", "Chair of the Board", "Fernhill Software Ltd"),
    # customers
    "claire": P("Claire Dubois", "c.dubois@maisonlumiere-hotels.fr", "Directrice Revenue", "Maison Lumière Hotels"),
    "ben": P("Ben Harlow", "ben.harlow@northgatehotels.co.uk", "Group Revenue Director", "Northgate Hotels"),
    "sofia": P("Sofia Marini", "smarini@grupporiva.it", "COO", "Gruppo Riva Hospitality"),
    "james": P("James Whitaker", "jwhitaker@kestrelinns.com", "VP Operations", "Kestrel Inns", "mobile"),
    "nadia": P("Nadia Karim", "nadia.karim@desertpearl.ae", "Director of Revenue", "Desert Pearl Resorts"),
    "oliver": P("Oliver Brandt", "o.brandt@alpenhof-gruppe.ch", "CFO", "Alpenhof Gruppe"),
    "emma": P("Emma Lawson", "emma@coastalstays.co.uk", "Founder", "Coastal Stays", "casual"),
    "raj": P("Raj Patel", "raj.patel@meridiansuites.com", "Head of Procurement", "Meridian Suites"),
    "lucy": P("Lucy Chen", "lucy.chen@harbourlinehotels.com", "Revenue Manager", "Harbourline Hotels"),
    "henrik": P("Henrik Larsen", "hl@nordlyshotels.dk", "CEO", "Nordlys Hotels"),
    "maria": P("Maria Santos", "msantos@solmarresorts.pt", "Commercial Director", "Solmar Resorts"),
    "pete": P("Pete Hargreaves", "pete@thecrowncollection.co.uk", "Managing Director", "The Crown Collection", "casual"),
    "anna": P("Anna Kowalski", "a.kowalski@vistulahotels.pl", "Head of Distribution", "Vistula Hotels"),
    "david_w": P("David Wren", "dwren@wrenandfield.com", "Owner", "Wren & Field Boutique Hotels"),
    "grace": P("Grace Mbeki", "grace.mbeki@savannahlodges.co.za", "GM", "Savannah Lodges"),
    "tariq": P("Tariq Hassan", "tariq@oasiscollection.com", "Chief Commercial Officer", "Oasis Collection"),
    "isabel": P("Isabel Ruiz", "iruiz@hotelesaurora.es", "Directora Comercial", "Hoteles Aurora"),
    "mark_t": P("Mark Thornton", "mark.thornton@pinnaclelodging.com", "SVP Revenue", "Pinnacle Lodging"),
    "chloe": P("Chloe Adams", "chloe.adams@urbannest.co.uk", "Operations Lead", "UrbanNest Aparthotels", "casual"),
    "kenji": P("Kenji Watanabe", "k.watanabe@sakurastay.jp", "Director, International", "Sakura Stay"),
    "fiona": P("Fiona Grant", "fgrant@highlandretreats.co.uk", "Managing Partner", "Highland Retreats"),
    "lars": P("Lars Eriksson", "lars@fjordhotel.no", "Hotel Manager", "Fjord Hotel Bergen"),
    "amelia": P("Amelia Price", "amelia.price@regencyhalls.com", "Head of Digital", "Regency Halls"),
    "victor": P("Victor Alvarez", "valvarez@casaverde.mx", "Director General", "Casa Verde Hoteles"),
    "sam": P("Sam O'Neill", "sam.oneill@docklandsinn.ie", "Revenue Lead", "Docklands Inn Group", "casual"),
    "yusuf": P("Yusuf Demir", "ydemir@bosphorushotels.com.tr", "CFO", "Bosphorus Hotels"),
    # vendors and others
    "baxter": P("Rachel Stone", "rstone@baxterlane.law", "Partner", "Baxter Lane LLP"),
    "cloud": P("Derek Holt", "derek.holt@cloudline.net", "Account Manager", "Cloudline Hosting"),
    "recruit": P("Sophie Turner", "sophie@talentbridge-search.com", "Principal", "TalentBridge Search"),
    "david": P("David Okafor", "david.okafor82@gmail.com", "", "", "bare"),
    "jess": P("Jess Morgan", "jessmorgan.home@outlook.com", "", "", "casual"),
    "htw": P("Hospitality Tech Weekly", "newsletter@hospitalitytechweekly.com", "", "", "bare"),
    "saas": P("SaaS Finance Digest", "digest@saasfinance.news", "", "", "bare"),
    "paybridge": P("Paybridge", "no-reply@paybridge.com", "", "", "bare"),
    "codenest": P("CodeNest", "notifications@codenest.dev", "", "", "bare"),
    "calendar": P("Calendar", "calendar-noreply@workspace.example.com", "", "", "bare"),
    "dentist": P("Smile Dental Clinic", "reminders@smiledental.co.uk", "", "", "bare"),
}

THREADS = [
    # -- deals ---------------------------------------------------------------------------------------------
    T("lumiere", "Revenue platform for our 14 hotels", "customer", "important", opp=O("Maison Lumière Hotels", "new", 420000, "EUR"), msgs=[
        M("claire", ["me"], "03-02 09:12", reply=True, c=[C("f01", "me", "send a proposal for the 14 hotels", "2026-03-13")], body=(
            "Dear Hannah,\n\nFollowing our meeting at ITB, our board has approved a budget of EUR 420,000 for a new "
            "revenue management platform across our 14 hotels. We would like to receive your proposal. Could you "
            "send it by Friday 13 March? We are also speaking with two other vendors.")),
        M("me", ["claire"], "03-02 11:40", also=["f01"], c=[C("f01b", "tom", "set up a technical session with their IT team", None)], body=(
            "Dear Claire,\n\nThank you, this is wonderful news. I will send you our proposal by Friday 13 March, "
            "and Tom will set up a technical session with your IT team.")),
    ]),
    T("northgate", "Northgate renewal - 3 year option?", "customer", "important", client="outlook", opp=O("Northgate Hotels", "renewal", 750000, "GBP"), msgs=[
        M("ben", ["me"], "03-03 08:30", cc=["tom"], reply=True, c=[C("f02", "me", "send 3-year renewal pricing", "2026-03-06")], body=(
            "Hannah,\n\nOur contract is up on 30 April. We intend to renew and would like to look at a three-year "
            "term at around £750k in total. Please send the three-year pricing before Friday, as our finance "
            "committee meets on 12 March.")),
        M("tom", ["ben"], "03-03 10:02", cc=["me"], also=["f02"], body=(
            "Ben, thanks for this. Hannah will come back to you with the numbers.")),
    ]),
    T("riva", "Espansione: 6 nuovi hotel / expansion to six more properties", "customer", "important", opp=O("Gruppo Riva Hospitality", "expansion", 1200000, "EUR"), msgs=[
        M("sofia", ["me"], "03-04 14:15", reply=True, c=[C("f03", "me", "confirm the rollout timeline for six more hotels", "2026-03-11")], body=(
            "Hello Hannah,\n\nThe pilot in Milan went very well. We want to add six more properties in Rome and "
            "Florence, about €1.2 million over the contract. Can you confirm the rollout timeline? We need it "
            "by next Wednesday to include it in the board pack.")),
    ]),
    T("kestrel", "Quote for 40 properties", "customer", "important", opp=O("Kestrel Inns", "new", 3400000, "USD"), msgs=[
        M("james", ["me", "tom"], "03-04 16:50", reply=True, body=(
            "Hi Hannah, Tom - we are ready to move forward on the US rollout, 40 properties, $3.4m over five "
            "years. Can you send a formal quote? Our procurement wants it in hand before they close the RFP.")),
        M("me", ["james"], "03-04 18:05", cc=["tom"], c=[C("f04", "me", "send the formal quote for 40 properties", "2026-03-09")], body=(
            "James,\n\nGreat to hear. We'll send you the formal quote on Monday.")),
    ]),
    T("desertpearl", "Pricing request - Desert Pearl Resorts", "customer", "important", opp=O("Desert Pearl Resorts", "new", 1800000, "AED"), msgs=[
        M("nadia", ["me"], "03-05 07:20", reply=True, c=[C("f05", "me", "share pricing and references", "2026-03-12")], body=(
            "Dear Ms Okafor,\n\nWe are evaluating revenue management systems for our five resorts, with a budget of "
            "AED 1.8 million. Kindly share your pricing and two references from resort clients. We would "
            "appreciate a response within a week.")),
    ]),
    T("alpenhof", "Vertragsverlängerung / contract renewal 2026", "customer", "important", opp=O("Alpenhof Gruppe", "renewal", 310000, "CHF"), msgs=[
        M("oliver", ["me"], "03-05 10:45", cc=["liam"], reply=True, body=(
            "Dear Hannah,\n\nOur agreement expires in May. We would like to renew for another two years; the "
            "current value is CHF 310,000. Before we sign, we need a revised SLA. Could you send it?")),
        M("liam", ["oliver"], "03-05 13:10", cc=["me"], c=[C("f06", "liam", "send the revised SLA", "2026-03-10")], body=(
            "Hi Oliver,\n\nThanks for confirming. I will send the revised SLA by Tuesday next week.")),
    ]),
    T("coastal", "adding the Cornwall cottages?", "customer", "important", opp=O("Coastal Stays", "expansion", 45000, "GBP"), msgs=[
        M("emma", ["me"], "03-06 19:02", reply=True, body=(
            "Hi Hannah! We've just bought 30 cottages in Cornwall and want them on Fernhill too. Budget's about "
            "£45k for the year. What would you need from us to get started?")),
        M("me", ["emma"], "03-07 09:15", c=[C("f07", "me", "send the onboarding checklist", None)], body=(
            "Emma, congratulations! I'll send over our onboarding checklist and Liam will be your contact.")),
    ]),
    T("meridian", "RFP - Revenue Management System (RFP-2026-044)", "customer", "important", opp=O("Meridian Suites", "new", 2500000, "USD"), msgs=[
        M("raj", ["me"], "03-09 08:05", reply=True, c=[C("f08", "me", "submit the RFP response", "2026-03-20")], body=(
            "Dear Hannah,\n\nMeridian Suites invites Fernhill to respond to RFP-2026-044 for a revenue "
            "management system across 22 properties. The estimated contract value is USD 2.5M. Responses are due "
            "no later than 20 March 2026 at 17:00 GMT. Please confirm your intention to bid.")),
        M("me", ["raj"], "03-09 09:30", also=["f08"], body=(
            "Dear Raj,\n\nThank you for the invitation. We confirm our intention to bid and will submit our "
            "response by 20 March.")),
    ]),
    T("harbourline", "Upgrade to the Forecasting module", "customer", "important", opp=O("Harbourline Hotels", "upsell", 60000, "GBP"), msgs=[
        M("lucy", ["liam"], "03-09 11:00", cc=["me"], body=(
            "Hi Liam,\n\nWe'd like to upgrade to the Forecasting add-on for all six hotels. Our GM has signed off "
            "£60,000 for it this year. Could you send the order form?")),
        M("liam", ["lucy"], "03-09 12:20", cc=["me"], c=[C("f09", "liam", "send the order form for the Forecasting add-on", "2026-03-10")], body=(
            "Hi Lucy, brilliant. I'll send the order form tomorrow morning.")),
    ]),
    T("nordlys", "Next steps after the demo", "customer", "important", opp=O("Nordlys Hotels", "new", 2100000, "DKK"), msgs=[
        M("henrik", ["me"], "03-10 13:30", reply=True, c=[C("f10", "me", "send a draft contract", "2026-03-17")], body=(
            "Hannah,\n\nGood demo yesterday. We are interested in a pilot in Copenhagen followed by all nine hotels, "
            "roughly DKK 2.1 million over three years. Please send a draft contract. Our legal team needs a week, "
            "so we would need it by next Tuesday.")),
    ]),
    T("solmar", "Renovação do contrato", "customer", "important", opp=O("Solmar Resorts", "renewal", 185000, "EUR"), msgs=[
        M("maria", ["me"], "03-10 16:40", reply=True, body=(
            "Dear Hannah,\n\nWe plan to renew our licence for 2026-27 (EUR 185,000). However, we are not happy "
            "with the support response times in February. Can we schedule a call to discuss before we sign?")),
        M("me", ["maria"], "03-10 18:00", c=[C("f11", "me", "send times for a call about support", "2026-03-11"), C("f11b", "liam", "prepare a summary of the February tickets", None)], body=(
            "Dear Maria,\n\nI'm sorry to hear that. I'll send you some times for a call tomorrow, and Liam will "
            "prepare a summary of the February tickets.")),
    ]),
    T("crown", "The Crown Collection - interested", "customer", "important", opp=O("The Crown Collection", "new", None, ""), msgs=[
        M("pete", ["me"], "03-11 08:45", reply=True, body=(
            "Hannah,\n\nMet Tom at the Independent Hotel Show. We run 8 country house hotels and are interested in "
            "replacing our spreadsheets. Could you give us an idea of pricing?")),
    ]),
    T("vistula", "Renewal and two more hotels in Kraków", "customer", "important", opp=O("Vistula Hotels", "expansion", 95000, "EUR"), msgs=[
        M("anna", ["me"], "03-11 10:10", cc=["georgia"], reply=True, c=[C("f12", "me", "send the amended order form", "2026-03-13")], body=(
            "Dear Hannah,\n\nWe would like to add our two new hotels in Kraków to the contract, which brings the "
            "annual total to €95k. Please send an amended order form. We need it by the end of this week.")),
    ]),
    T("wrenfield", "pricing", "customer", "important", opp=O("Wren & Field Boutique Hotels", "new", 28000, "GBP"), msgs=[
        M("david_w", ["me"], "03-12 07:55", reply=True, body=(
            "Hi Hannah, we have 3 small hotels and a budget of around £28k. Is that enough for your platform? "
            "If so, could you send a proposal?")),
        M("me", ["david_w"], "03-12 09:10", c=[C("f13", "me", "send a proposal for three hotels", "2026-03-18")], body=(
            "David, yes, that works for three hotels. I'll send a proposal by Wednesday 18 March.")),
    ]),
    T("savannah", "Savannah Lodges pilot", "customer", "important", opp=O("Savannah Lodges", "new", 40000, "USD"), msgs=[
        M("grace", ["georgia"], "03-12 12:00", cc=["me"], body=(
            "Georgia, following up on our call: we'd like to run a 3-month pilot at two lodges, with a view to a "
            "full deployment worth about US$40,000 a year.")),
        M("georgia", ["grace"], "03-12 13:30", cc=["me"], c=[C("f14", "georgia", "send the pilot agreement", "2026-03-16")], body=(
            "Grace, perfect. I'll send the pilot agreement on Monday.")),
    ]),
    T("oasis", "Oasis Collection - group-wide licence", "customer", "important", opp=O("Oasis Collection", "expansion", 3000000, "USD"), msgs=[
        M("tariq", ["me"], "03-13 09:00", reply=True, c=[C("f15", "me", "send a proposal for the group-wide licence", "2026-03-27")], body=(
            "Hannah,\n\nAfter the success in Dubai we want to extend Fernhill to all 31 properties. We have $3m "
            "earmarked. Please prepare a proposal for a group-wide licence; our CEO wants it within two weeks.")),
    ]),
    T("aurora", "Solicitud de propuesta", "customer", "important", opp=O("Hoteles Aurora", "new", 260000, "EUR"), msgs=[
        M("isabel", ["me"], "03-13 11:30", reply=True, body=(
            "Dear Hannah,\n\nHoteles Aurora is looking for a revenue management partner for our 12 hotels in "
            "Andalusia. Our budget is 260.000 EUR per year. Would you send a proposal and a reference list?")),
        M("me", ["isabel"], "03-13 15:00", c=[C("f16", "me", "send a proposal and a reference list", "2026-03-20")], body=(
            "Dear Isabel,\n\nThank you for thinking of us. We will send the proposal and reference list by "
            "Friday 20 March.")),
    ]),
    T("pinnacle", "Pinnacle: renewal at risk", "customer", "urgent", opp=O("Pinnacle Lodging", "renewal", 540000, "USD"), msgs=[
        M("mark_t", ["me"], "03-16 08:10", cc=["liam"], reply=True, c=[C("f17", "me", "send a plan to fix the rate sync", "2026-03-16")], body=(
            "Hannah,\n\nThe rate sync failed again over the weekend and we sold rooms below cost at four hotels. "
            "Our $540k renewal is on the line. I need a plan from you today.")),
    ]),
    T("urbannest", "more units in Manchester", "customer", "important", opp=O("UrbanNest Aparthotels", "expansion", 18500, "GBP"), msgs=[
        M("chloe", ["liam"], "03-16 10:00", cc=["me"], body=(
            "hey Liam, we're opening 120 more units in Manchester in May and want them on the platform. Our budget "
            "is GBP 18,500 for this year. who do we talk to about the paperwork?")),
        M("liam", ["chloe"], "03-16 11:15", cc=["me"], c=[C("f18", "liam", "send the paperwork for the Manchester units", "2026-03-20")], body=(
            "Hi Chloe, great news! I'll get the paperwork to you by Friday.")),
    ]),
    T("sakura", "Inquiry from Sakura Stay", "customer", "important", opp=O("Sakura Stay", "new", 45000000, "JPY"), msgs=[
        M("kenji", ["me"], "03-17 02:30", reply=True, c=[C("f19", "me", "send the proposal for Sakura Stay", "2026-03-31")], body=(
            "Dear Ms Okafor,\n\nWe operate 18 business hotels in Japan and are looking for a revenue management "
            "system. Our budget is JPY 45,000,000 for the first year. Could you please send us a proposal? We hope "
            "to receive it before the end of March.")),
    ]),
    T("highland", "Highland Retreats - renewal", "customer", "important", opp=O("Highland Retreats", "renewal", 36000, "GBP"), msgs=[
        M("fiona", ["me"], "03-17 09:40", reply=True, body=(
            "Hannah,\n\nOur renewal (£36,000) comes up next month. We are happy and want to renew on the same "
            "terms. Can you send the renewal paperwork?")),
        M("me", ["fiona"], "03-17 10:30", c=[C("f20", "priya", "send the renewal paperwork", "2026-03-19")], body=(
            "Fiona, wonderful, thank you. Priya will send the renewal paperwork on Thursday.")),
    ]),
    T("fjord", "question about your system", "customer", "important", opp=O("Fjord Hotel Bergen", "new", 350000, "NOK"), msgs=[
        M("lars", ["me"], "03-18 14:00", reply=True, body=(
            "Hi,\n\nWe are a single 200-room hotel. Is your system suitable for us? We have NOK 350,000 set aside "
            "for a new RMS this year. Could you send more information?")),
    ]),
    T("regency", "Regency Halls - adding the events module", "customer", "important", opp=O("Regency Halls", "upsell", 72000, "GBP"), msgs=[
        M("amelia", ["me"], "03-19 10:20", reply=True, body=(
            "Hi Hannah,\n\nWe'd like to add the Events & Groups module across our venues. I've got approval for "
            "£72,000. Could you send a quote for the add-on?")),
        M("me", ["amelia"], "03-19 11:00", cc=["tom"], c=[C("f21", "tom", "send a quote for the Events module", "2026-03-23")], body=(
            "Amelia, that's great. Tom will send you the quote on Monday.")),
    ]),
    T("casaverde", "Propuesta", "customer", "important", opp=O("Casa Verde Hoteles", "new", 4200000, "MXN"), msgs=[
        M("victor", ["me"], "03-20 16:00", reply=True, c=[C("f22", "me", "send a proposal for Casa Verde", "2026-04-03")], body=(
            "Hannah,\n\nCasa Verde is ready to buy. We have MXN 4.2 million approved for a revenue platform across "
            "nine hotels. Please send your best proposal by 3 April.")),
    ]),
    T("docklands", "Docklands - renewal", "customer", "important", opp=O("Docklands Inn Group", "renewal", 52000, "EUR"), msgs=[
        M("sam", ["me"], "03-23 09:00", reply=True, body=(
            "Hi Hannah, we're keen to renew for another year (€52k), but finance is asking for a 5% discount. "
            "Any flexibility?")),
        M("me", ["sam"], "03-23 10:15", c=[C("f23", "me", "come back on the discount", "2026-03-25")], body=(
            "Sam, thanks for your loyalty. Let me check with Priya and I'll come back to you by Wednesday.")),
    ]),
    T("bosphorus", "Bosphorus Hotels evaluation", "customer", "important", opp=O("Bosphorus Hotels", "new", 500000, "USD"), msgs=[
        M("yusuf", ["me"], "03-24 12:30", reply=True, c=[C("f24", "me", "complete the security questionnaire", "2026-03-27")], body=(
            "Dear Hannah,\n\nWe have shortlisted Fernhill for our revenue management project (USD 500k). Please "
            "complete the attached security questionnaire. We need it back by Friday.")),
    ]),
    # -- customers, no deal ----------------------------------------------------------------------------------
    T("lumiere-support", "Login problem", "customer", "normal", msgs=[
        M("claire", ["liam"], "03-18 09:00", cc=["me"], body=(
            "Hello Liam,\n\nTwo of our revenue managers cannot log in since this morning. Could you have a look?")),
        M("liam", ["claire"], "03-18 09:40", cc=["me"], body=(
            "Hi Claire, we've reset their accounts, they should be able to log in now.")),
    ]),
    T("northgate-outage", "URGENT: rates not updating on booking engine", "customer", "urgent", msgs=[
        M("ben", ["liam"], "03-25 07:30", cc=["me"], reply=False, body=(
            "Liam,\n\nRates have not updated on our booking engine since 5am. This is critical, we are selling at "
            "last night's prices. Please escalate immediately.")),
        M("liam", ["ben"], "03-25 08:05", cc=["me"], c=[C("f25", "liam", "send an update on the rate feed", "2026-03-25")], body=(
            "Ben, Aisha's team is on it. I will send you an update within the hour.")),
    ]),
    # -- team ----------------------------------------------------------------------------------------------
    T("board-pack", "Board pack for 19 March", "board", "important", msgs=[
        M("me", ["priya"], "03-02 15:00", c=[C("f26", "priya", "send the Q4 financials for the board pack", "2026-03-11")], body=(
            "Priya,\n\nThe board meets on 19 March. Could you send me the Q4 financials for the pack by Wednesday "
            "11 March?")),
        M("priya", ["me"], "03-02 16:20", also=["f26"], body=(
            "Will do. I'll have the financials to you by the 11th.")),
    ]),
    T("hire-offer", "Ravi - offer from a competitor", "team", "urgent", msgs=[
        M("aisha", ["me"], "03-05 17:45", reply=True, body=(
            "Hannah,\n\nRavi told me today that he has an offer from a competitor and is thinking of leaving. He "
            "leads the rate sync team and we cannot lose him right now. Can we talk before end of day about a "
            "counter-offer?")),
        M("me", ["aisha"], "03-05 18:00", c=[C("f27", "me", "call Aisha about Ravi's counter-offer", "2026-03-05")], body=(
            "Yes. I'll call you in 15 minutes.")),
    ]),
    T("po-approval", "Approval needed: data warehouse PO", "team", "important", msgs=[
        M("aisha", ["me"], "03-09 10:00", reply=True, c=[C("f28", "me", "approve the data warehouse PO", "2026-03-12")], body=(
            "Hi Hannah,\n\nI need your approval for the data warehouse purchase order (£38,400 a year). The vendor's "
            "discount expires on Thursday, so please approve by then.")),
    ]),
    T("forecast", "Sales forecast", "team", "normal", msgs=[
        M("me", ["tom"], "03-10 09:00", c=[C("f29", "tom", "send the updated sales forecast", "2026-03-16")], body=(
            "Tom, can you send me the updated sales forecast by Monday? I want to review it before the board.")),
        M("tom", ["me"], "03-10 09:30", also=["f29"], body=("Sure, Monday it is.")),
    ]),
    T("hiring-plan", "Hiring plan Q2", "team", "normal", msgs=[
        M("ravi", ["me"], "03-11 14:00", c=[C("f39", "ravi", "share the final hiring plan", None)], body=(
            "Hi Hannah,\n\nAttached is the draft hiring plan for Q2. I'll share the final version once Aisha "
            "has reviewed it.")),
    ]),
    T("sync-fix", "Rate sync post-mortem", "team", "important", msgs=[
        M("aisha", ["me", "liam"], "03-17 08:30", c=[C("f30", "aisha", "send the written post-mortem", "2026-03-19"), C("f40", "ravi", "ship the rate sync fix", "2026-03-17")], body=(
            "All,\n\nWe found the root cause of the rate sync failures at Pinnacle. I will send the written "
            "post-mortem by Thursday, and Ravi's team will ship the fix tonight.")),
        M("me", ["aisha"], "03-17 09:00", cc=["liam"], also=["f30"], body=(
            "Thank you Aisha. Please make sure the post-mortem reaches me by Thursday so I can share it with Mark.")),
    ]),
    T("pricing-page", "New pricing page copy", "team", "normal", msgs=[
        M("georgia", ["me"], "03-18 16:00", reply=True, body=(
            "Hannah - can you review the new pricing page copy? No rush, sometime next week is fine.")),
        M("me", ["georgia"], "03-18 17:10", c=[C("f31", "me", "review the pricing page copy", "2026-03-24")], body=(
            "Sure Georgia, I'll review it on Tuesday.")),
    ]),
    T("offsite", "Offsite logistics", "team", "normal", msgs=[
        M("liam", ["me", "tom", "priya", "aisha"], "03-19 12:00", reply=True, body=(
            "Hi all, the offsite is booked for 23-24 April at Wilton Park. Please let me know dietary "
            "requirements when you can.")),
    ]),
    T("expenses", "Expense report", "team", "normal", msgs=[
        M("priya", ["me"], "03-20 10:00", reply=True, c=[C("f32", "me", "submit the February expense report", "2026-03-24")], body=(
            "Hannah, your February expense report is still missing. Could you submit it before Tuesday's close?")),
    ]),
    T("cash", "Cash position - need a decision today", "team", "urgent", msgs=[
        M("priya", ["me"], "03-26 09:00", reply=True, c=[C("f33", "me", "decide on drawing the credit facility", "2026-03-26")], body=(
            "Hannah,\n\nThe Kestrel payment slipped to April. We need to decide today whether to draw £250k on the "
            "credit facility to cover payroll. Can you give me your decision by 3pm?")),
    ]),
    T("weekly", "Weekly customer success update", "team", "low", msgs=[
        M("liam", ["me", "tom"], "03-27 16:00", body=(
            "FYI - weekly update: 3 go-lives this week, NPS 61, no open P1 tickets. Nothing needed from you.")),
    ]),
    # -- board and investors --------------------------------------------------------------------------------
    T("larkspur", "Q1 KPIs for our LP report", "investor", "important", msgs=[
        M("marcus", ["me"], "03-03 13:00", reply=True, c=[C("f34", "me", "send Q1 KPIs for the LP report", "2026-03-31")], body=(
            "Hi Hannah,\n\nHope all is well. We're putting together our quarterly LP report. Could you send me the "
            "Q1 KPIs (ARR, net retention, burn) by 31 March?")),
    ]),
    T("chair", "Board agenda and the CFO search", "board", "important", msgs=[
        M("elaine", ["me"], "03-06 08:00", reply=True, c=[C("f35", "me", "send the draft board agenda", "2026-03-12")], body=(
            "Hannah,\n\nAhead of the board on the 19th, please send me the draft agenda by Thursday 12 March. I'd "
            "also like your view on whether we should start the CFO search this quarter.")),
        M("me", ["elaine"], "03-06 09:30", also=["f35"], body=(
            "Elaine, I'll send the draft agenda by Thursday and we can discuss the CFO search then.")),
    ]),
    # -- vendors -------------------------------------------------------------------------------------------
    T("baxter", "NDA with Kestrel Inns - signature", "vendor", "important", msgs=[
        M("baxter", ["me"], "03-04 11:00", reply=True, c=[C("f36", "me", "sign the Kestrel NDA", "2026-03-06")], body=(
            "Dear Hannah,\n\nPlease find attached the final NDA with Kestrel Inns. Kindly sign and return it by "
            "Friday so it is in place before the technical session.")),
    ]),
    T("cloudline", "Your Cloudline renewal quote", "vendor", "normal", msgs=[
        M("cloud", ["me"], "03-10 15:00", body=(
            "Hi Hannah,\n\nYour hosting contract renews on 1 May. Attached is the renewal quote for £96,000 per "
            "year, which includes the 20% capacity increase. Happy to discuss.")),
        M("me", ["cloud"], "03-11 09:00", cc=["priya"], c=[C("f37", "priya", "review the Cloudline renewal quote", None)], body=(
            "Thanks Derek. Priya will review the quote and come back to you.")),
    ]),
    T("cloudline-ship", "Dedicated servers - delivery date", "vendor", "normal", msgs=[
        M("cloud", ["me"], "03-17 10:00", c=[C("f38", "cloud", "deliver the dedicated servers", "2026-03-24")], body=(
            "Hi Hannah, we will deliver the dedicated servers to the Slough data centre by Tuesday 24 March.")),
    ]),
    # -- recruiting ----------------------------------------------------------------------------------------
    T("cfo-search", "CFO search - shortlist", "recruiting", "normal", msgs=[
        M("recruit", ["me"], "03-12 14:00", reply=True, body=(
            "Dear Hannah,\n\nFurther to our conversation, I have three strong candidates for the CFO role. Would "
            "you have time for a call next week to go through the shortlist?")),
    ]),
    # -- personal ------------------------------------------------------------------------------------------
    T("home", "Saturday", "personal", "normal", msgs=[
        M("david", ["me"], "03-06 12:30", reply=True, c=[C("f41", "me", "pick up the kids", "2026-03-07")], body=(
            "Can you pick up the kids on Saturday at 10? I have the football thing. Love, D")),
    ]),
    T("jess", "dinner next week?", "personal", "normal", msgs=[
        M("jess", ["me"], "03-13 20:00", reply=True, body=(
            "Hey lovely, it's been ages! Are you free for dinner next Thursday?")),
    ]),
    T("dentist", "Appointment reminder", "newsletter", "low", kind="notification", msgs=[
        M("dentist", ["me"], "03-16 08:00", body=(
            "This is a reminder of your appointment on Thursday 19 March at 8:30am. Reply C to cancel.")),
    ]),
    # -- newsletters and notifications ------------------------------------------------------------------------
    T("htw-1", "This week in hotel tech: AI pricing, direct booking", "newsletter", "low", kind="newsletter", msgs=[
        M("htw", ["me"], "03-05 06:00", body=(
            "Top stories this week: AI pricing tools go mainstream; direct booking share hits 40%. Read more on our "
            "site. Unsubscribe or manage your preferences at any time.")),
    ]),
    T("htw-2", "This week in hotel tech: the RMS buyer's guide", "newsletter", "low", kind="newsletter", msgs=[
        M("htw", ["me"], "03-19 06:00", body=(
            "Our 2026 buyer's guide to revenue management systems: 12 vendors compared, budgets from $20k to $2m. "
            "Read more. Unsubscribe.")),
    ]),
    T("saas-digest", "SaaS Finance Digest: net retention benchmarks", "newsletter", "low", kind="newsletter", msgs=[
        M("saas", ["me"], "03-12 07:00", body=(
            "Net revenue retention benchmarks for 2026, plus: how to price multi-year renewals. Webinar on "
            "Thursday. View in browser.")),
    ]),
    T("pay-1", "Payment received: INV-2026-0311", "newsletter", "low", kind="notification", msgs=[
        M("paybridge", ["me"], "03-11 09:00", body=(
            "You received a payment of £18,000.00 from Harbourline Hotels for invoice INV-2026-0311.")),
    ]),
    T("pay-2", "Payout scheduled", "newsletter", "low", kind="notification", msgs=[
        M("paybridge", ["me"], "03-24 09:00", body=(
            "A payout of £42,350.00 to your account ending 4411 is scheduled for 26 March.")),
    ]),
    T("code-1", "[fernhill/rates] Build failed on main", "newsletter", "low", kind="notification", msgs=[
        M("codenest", ["me"], "03-15 23:10", body=(
            "The build for fernhill/rates failed on main (commit 8f2c1e). View the logs to see what went wrong.")),
    ]),
    T("cal-1", "Invitation: Pipeline review @ Mon 16 Mar 10:00", "newsletter", "low", kind="notification", msgs=[
        M("calendar", ["me"], "03-13 10:00", body=(
            "Tom Reyes has invited you to Pipeline review on Monday 16 March, 10:00-11:00. Accept, decline or "
            "propose a new time.")),
    ]),
]
