"""Board, investors, finance, team updates with varied tone, recruiting, vendors and operations."""

from __future__ import annotations

from .dsl import M, T

EXEC = ["priya", "marcus", "elena", "tom", "hannah"]
ENG = ["lena", "raj", "sofia", "kenji"]

THREADS = [
    # ---- board and investors -------------------------------------------------------------
    T("board-deck", "Board meeting Dec 3: section drafts", "board", "important", msgs=[
        M("dana", EXEC, "11-16 07:45", quote=False, body=(
            "Team,\n\nThe board meets on Thursday, December 3. I need your section drafts by November 24:\n"
            "- Priya: pipeline and bookings\n- Marcus: roadmap and the 5.0 release\n- Tom: retention, "
            "including Pinecrest\n- Elena: Q3 financials and the 2027 budget frame\n- Hannah: hiring and "
            "engagement\n\nKeep each to three slides.")),
        M("priya", ["dana"], "11-16 08:20", body=("Got it. I'll send the revised sales section by Friday.")),
        M("elena", ["dana"], "11-16 09:05", body=(
            "Will do. The Q3 close is done, so the numbers are final.")),
        M("priya", ["dana"], "11-20 16:55", attach=[("Board-Dec3-Sales.pptx",
          "application/vnd.openxmlformats-officedocument.presentationml.presentation", 301882)], body=(
            "Sales section attached. Weighted pipeline is $2.1M, with Harborview's expansion as the "
            "biggest single deal. Bookings are 112% of plan for the year.")),
        M("hannah", ["dana"], "11-23 14:30", body=(
            "Hiring section attached in the shared folder. Headline: we're behind on three engineering reqs "
            "and engagement in Engineering dropped 12 points. I've framed it honestly.")),
        M("marcus", ["dana"], "11-24 19:50", body=(
            "Sorry, the roadmap section will be late. The Pinecrest hotfix ate the week. I'll send it "
            "Friday morning.")),
    ]),
    T("board-preread", "Dec 3 board meeting", "board", "important", msgs=[
        M("victoria", ["dana"], "11-18 07:30", cc=["david"], reply=True, quote=False, body=(
            "Dana,\n\nLooking forward to the 3rd. Could you send the pre-read by Monday the 30th? I'd like "
            "the churn discussion front and center, Pinecrest in particular.")),
        M("dana", ["victoria"], "11-18 08:15", cc=["david"], body=(
            "Victoria, will do. I'll send the board pre-read by Monday, November 30, with a full Pinecrest "
            "section.")),
        M("david", ["dana"], "11-19 12:40", cc=["victoria"], prio="normal", reply=True, body=(
            "It may also be worth a session on pricing for multi-year deals; I've seen a few companies get "
            "this wrong. Happy to share what I've seen. Would that be useful?")),
        M("victoria", ["dana"], "11-22 17:05", cc=["david"], reply=True, body=(
            "One more request: can we add 30 minutes at the end for an executive session without "
            "management?")),
    ]),
    T("q3-numbers", "Q3 numbers for the board deck", "team", "important", msgs=[
        M("dana", ["elena"], "11-19 08:10", quote=False, body=(
            "Elena, can you get me the Q3 numbers by Tuesday? I want gross margin by product line for the "
            "board deck.")),
        M("elena", ["dana"], "11-19 08:42", body=("Will do. You'll have them Monday night.")),
        M("elena", ["dana"], "11-23 21:15", attach=[("Q3-2026-financials.xlsx",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 88120)], body=(
            "Q3 numbers attached. Revenue $3.42M (+38% year over year), gross margin 61%: robots-as-a-service "
            "68%, hardware 44%. Net burn $1.1M a month, 22 months of runway.")),
        M("dana", ["elena"], "11-23 21:40", prio="normal", body=("Perfect, thank you!"), signoff=""),
    ]),
    T("investor-update", "Northwind investor update: October-November 2026", "investor", "normal", msgs=[
        M("dana", ["victoria", "kevin", "david"], "11-20 07:00", quote=False, fmt="html", body=(
            "Hi all,\n\nHighlights:\n- Q3 revenue $3.42M, up 38% year over year; gross margin 61%.\n"
            "- Harborview Logistics wants to expand from 12 to 52 units (a 40-unit expansion, ~$480K ARR).\n"
            "- Meridian Pharma is starting a 10-unit pilot conversation.\n\nLowlights:\n"
            "- Pinecrest Medical had three outages at Tacoma; we traced them to a firmware issue and a hotfix "
            "ships December 1. Their $144K renewal is at risk.\n- Engineering is stretched; the 5.0 beta slips "
            "two weeks.\n\nAsks: introductions to VP Marketing candidates with robotics experience.")),
        M("kevin", ["dana"], "11-20 10:25", reply=True, prio="important", body=(
            "Great update, and thanks for being straight about Pinecrest. Could you send me the updated cap "
            "table by end of next week? We're doing our year-end marks.")),
        M("victoria", ["dana"], "11-21 08:50", prio="normal", body=(
            "Strong month. Proud of how the team is handling Pinecrest.")),
        M("david", ["dana"], "11-21 14:30", prio="normal", body=(
            "On the VP Marketing ask: I know two people with robotics go-to-market experience. I'll send you "
            "both names with context by Friday, December 4.")),
    ]),
    T("intro-lakeshore", "Intro: Dana <> Rebecca Stone (Lakeshore Capital)", "investor", "normal", msgs=[
        M("kevin", ["dana"], "11-17 12:00", quote=False, body=(
            "Dana, meet Rebecca Stone, partner at Lakeshore Capital. She led their logistics-tech investments "
            "and is curious about Northwind ahead of your Series C next year. I'll let you two take it from here.")),
        M("dana", ["rebecca"], "11-17 13:10", cc=["claire"], body=(
            "Thanks Kevin (moving you to bcc). Rebecca, lovely to meet you. Claire will find 30 minutes in "
            "early December.")),
        M("rebecca", ["dana"], "11-18 08:20", cc=["claire"], prio="normal", body=(
            "Lovely to meet you too. Any morning in the week of December 7 works for me.")),
    ]),
    # ---- finance and operations -----------------------------------------------------------
    T("budget-2027", "2027 budget kickoff", "team", "normal", msgs=[
        M("elena", ["dana"], "11-12 10:30", cc=["noah"], quote=False, body=(
            "Dana,\n\nWe're starting the 2027 budget. I'll circulate the first draft by December 4 so we can "
            "review it at the offsite follow-up.")),
        M("dana", ["elena"], "11-12 11:02", cc=["noah"], body=(
            "Sounds good. Plan for 12 net new hires in 2027, not 20. Growth has to come from the existing "
            "team's leverage.")),
        M("noah", EXEC, "11-13 09:00", cc=["dana"], body=(
            "Hi all, I'll need headcount plans from each VP by November 25. Template is in the Finance folder.")),
        M("noah", ["marcus", "tom"], "11-24 16:20", cc=["dana", "elena"], body=(
            "Reminder: headcount plans are due tomorrow. Still missing Engineering and Customer Success.")),
    ]),
    T("pricing-multiyear", "Multi-year discount policy", "team", "important", msgs=[
        M("priya", ["dana", "elena"], "11-17 15:10", quote=False, body=(
            "Cascade wants 3 years and Harborview will ask for volume pricing. Today we allow 5% for 2 years "
            "and 10% for 3 years, plus 8% volume above 50 units. I'd like to stop stacking discounts: "
            "proposal is a maximum of 12% combined.")),
        M("elena", ["priya", "dana"], "11-17 16:02", body=(
            "Agree on a cap. At 12% off we still clear 60% gross margin on RaaS. Above that we don't.")),
        M("dana", ["priya", "elena"], "11-18 07:40", body=(
            "Decision: cap combined discounts at 12% effective now. Priya, please update the pricing sheet "
            "and tell the team.")),
        M("priya", ["dana"], "11-18 09:30", body=("Done, pricing sheet updated and the team briefed.")),
        M("jordan", ["priya"], "11-18 10:02", cc=["dana"], prio="normal", body=(
            "Makes sense. It will make the Summit conversation simpler too.")),
    ]),
    T("office-lease", "Georgetown office lease renewal", "team", "normal", msgs=[
        M("elena", ["dana"], "11-10 13:00", quote=False, body=(
            "Our Georgetown lease ends in March. The landlord offers a 3-year renewal at $38 per square foot, "
            "up from $34. Alternatively there's a space in SoDo with a bigger test floor at $36. Do you want "
            "to see both before I negotiate?"), reply=True),
        M("dana", ["elena"], "11-10 17:45", body=(
            "Yes, let's see both. The test floor matters more than the commute. Claire can find an hour.")),
        M("claire", ["dana", "elena"], "11-11 08:30", body=(
            "Booked site visits for Friday, December 4: SoDo at 1pm, Georgetown walkthrough at 2:30.")),
        M("elena", ["claire"], "11-11 09:10", cc=["dana"], prio="low", body=("Thank you!"), signoff=""),
    ]),
    # ---- team updates with varied tone ----------------------------------------------------
    T("eng-weekly-1113", "Engineering weekly: Nov 13", "team", "normal", msgs=[
        M("marcus", ["dana"], "11-13 17:00", cc=ENG, quote=False, body=(
            "Highlights this week:\n- Fleet OS 5.0 beta is on track for December 7.\n- Path planning is 18% "
            "faster in simulation after Lena's rewrite.\n- The hackathon was a hit; morale is good.\n\n"
            "Risks: Kestrel lidar lead times are creeping up.")),
        M("lena", ["marcus"], "11-13 17:40", cc=["dana"] + ENG[1:], body=(
            "Really proud of this team. The new planner handled the Harborview Kent map with zero deadlocks "
            "in 10,000 simulated runs!")),
        M("raj", ["marcus"], "11-13 18:05", cc=["dana", "lena", "sofia", "kenji"], body=(
            "Great week. Shout-out to Sofia for the new regression dashboard; it already caught two bugs.")),
        M("sofia", ["raj"], "11-14 08:30", cc=["dana", "marcus", "lena", "kenji"], prio="low", body=(
            "Thanks Raj, that made my week.")),
    ]),
    T("eng-weekly-1120", "Engineering weekly: Nov 20", "team", "important", msgs=[
        M("marcus", ["dana"], "11-20 18:30", cc=ENG, quote=False, body=(
            "Rough week. The Pinecrest escalation pulled Kenji and Sofia off 5.0 and the beta slips two weeks "
            "to December 21. On-call load is unsustainable: three weekend pages in a row. I'm worried about "
            "burnout.")),
        M("sofia", ["marcus"], "11-20 19:12", cc=["dana", "lena", "raj", "kenji"], body=(
            "Honestly, the team is running on fumes. We keep firefighting and the test matrix keeps getting "
            "cut. I'm frustrated that quality is the first thing we sacrifice.")),
        M("raj", ["marcus", "dana"], "11-21 09:05", cc=["lena", "sofia", "kenji"], body=(
            "Agree with Sofia. I propose we freeze 5.0 scope today and add a second on-call rotation from "
            "Customer Success for level-one triage. Dana, can we get your support on the scope freeze?"),
          reply=True),
        M("dana", ["raj", "marcus"], "11-21 10:30", cc=["lena", "sofia", "kenji"], body=(
            "Thank you for being candid. Raj, I support the scope freeze. Marcus and I will talk about the "
            "on-call rotation in our 1:1 on Wednesday.")),
        M("lena", ["dana"], "11-21 11:02", cc=["marcus", "raj", "sofia", "kenji"], body=(
            "Thank you, Dana. That helps a lot. It feels like we were heard.")),
    ]),
    T("sales-weekly-1113", "Sales weekly: Nov 13", "team", "normal", msgs=[
        M("priya", ["dana"], "11-13 16:00", cc=["jordan", "aisha", "ben"], quote=False, body=(
            "Best quarter ever is within reach: bookings at 104% of plan with six weeks to go. Harborview's "
            "expansion request came in yesterday, and Atlas is excited about Fleet Analytics.")),
        M("aisha", ["priya"], "11-13 16:30", cc=["dana", "jordan", "ben"], body=(
            "Atlas trial starts Monday. Feeling great about this one!")),
        M("jordan", ["priya"], "11-13 17:05", cc=["dana", "aisha", "ben"], body=(
            "Meridian discovery call is booked for the 20th. Excited to get a pharma logo.")),
    ]),
    T("sales-weekly-1120", "Sales weekly: Nov 20", "team", "normal", msgs=[
        M("priya", ["dana"], "11-20 15:30", cc=["jordan", "aisha", "ben"], quote=False, body=(
            "Bookings are now 112% of plan for the year. Great call with Harborview yesterday; Summit came in "
            "inbound at 25 units. The team is on fire, thank you all.")),
        M("ben", ["priya"], "11-20 16:10", cc=["dana", "jordan", "aisha"], body=(
            "Site survey at Harborview Tacoma is booked for December 2. Love this momentum.")),
    ]),
    T("cs-weekly-1113", "Customer Success weekly: Nov 13", "team", "normal", msgs=[
        M("tom", ["dana"], "11-13 15:00", cc=["grace", "luis", "mia"], quote=False, body=(
            "Mixed week. Net revenue retention is 118%, Cascade intends to renew, and Atlas is trialing "
            "analytics. But Pinecrest had a third outage and is threatening to leave.")),
        M("mia", ["tom"], "11-13 15:45", cc=["dana", "grace", "luis"], body=(
            "Harborview's team sent us cookies to say thanks for the Kent go-live. Small things!")),
    ]),
    T("cs-weekly-1120", "Customer Success weekly: Nov 20", "team", "normal", msgs=[
        M("tom", ["dana"], "11-20 17:20", cc=["grace", "luis", "mia"], quote=False, body=(
            "Hard week. Luis spent four days at Tacoma swapping lidar modules; Pinecrest is still unhappy. "
            "Ticket volume is up 40% and we're understaffed for the holidays. I'm stressed about December.")),
        M("grace", ["tom"], "11-20 17:55", cc=["dana", "luis", "mia"], body=(
            "Cascade is in good shape at least. I can cover Pinecrest check-ins next week so Luis can rest.")),
        M("luis", ["tom"], "11-21 07:10", cc=["dana", "grace", "mia"], fmt="iso-8859-1", body=(
            "Thanks Grace. Tacoma is stable since Thursday. The crew there even set up a café corner for us; "
            "they're frustrated with the robots, not with people.")),
    ]),
    T("kudos-luis", "Kudos to Luis", "team", "low", msgs=[
        M("dana", ["luis"], "11-21 12:00", cc=["tom"], quote=False, body=(
            "Luis, Robert Haines told me you were the reason Tacoma kept shipping last week. Thank you. "
            "That's exactly the kind of ownership we want.")),
        M("luis", ["dana"], "11-21 12:45", cc=["tom"], body=("That means a lot, thank you Dana.")),
        M("tom", ["dana", "luis"], "11-21 13:05", body=("Seconded. Luis, take Monday off.")),
    ]),
    T("engagement-survey", "Engagement survey results (Q4)", "team", "important", msgs=[
        M("hannah", ["dana"], "11-18 11:00", quote=False, body=(
            "Dana,\n\nQ4 engagement results: company score 74 (down 3). Engineering dropped 12 points to 63, "
            "mainly workload and on-call. Sales is up 5 to 86. Customer Success is flat at 71. Participation "
            "was 91%. Can we discuss actions in our 1:1 on Monday?"), reply=True),
        M("dana", ["hannah"], "11-18 12:15", body=(
            "Thanks Hannah. Yes, Monday. Please bring two or three concrete options for Engineering.")),
        M("hannah", ["dana"], "11-23 09:00", body=(
            "Options for Engineering: (1) second on-call rotation with CS, (2) quiet Fridays with no "
            "meetings, (3) backfill the two open SRE reqs first. I'd start with (1) and (3).")),
        M("dana", ["hannah"], "11-23 09:30", cc=["marcus"], body=(
            "Agreed on (1) and (3). Marcus, please plan for both in your headcount plan.")),
    ]),
    T("fleet-os-5", "Fleet OS 5.0 release plan", "team", "normal", msgs=[
        M("raj", ["marcus"], "11-09 10:00", cc=["dana", "lena", "sofia"], quote=False, body=(
            "Release plan for 5.0: feature freeze November 23, beta December 7, GA January 18. Customers in "
            "the beta: Harborview and Atlas.")),
        M("marcus", ["raj"], "11-09 11:30", cc=["dana", "lena", "sofia"], body=(
            "Looks good. Let's keep Pinecrest out of the beta until they're stable.")),
        M("sofia", ["raj"], "11-10 09:20", cc=["dana", "marcus", "lena"], body=(
            "QA needs two full weeks between freeze and beta for the safety regression suite.")),
        M("raj", ["sofia"], "11-24 14:00", cc=["dana", "marcus", "lena"], body=(
            "Updated after the scope freeze: beta December 21, GA February 1. Sofia gets her two weeks.")),
    ]),
    T("ul3100", "UL 3100 certification audit", "team", "normal", msgs=[
        M("lena", ["marcus"], "11-16 13:00", cc=["dana"], quote=False, body=(
            "The UL 3100 auditor visits December 9. We need the updated risk assessment and the emergency "
            "stop test logs by December 4.")),
        M("marcus", ["lena"], "11-16 14:10", cc=["dana"], body=(
            "Thanks Lena. Sofia can own the test logs; you own the risk assessment.")),
        M("lena", ["marcus"], "11-16 14:30", cc=["dana"], prio="low", body=("On it.")),
    ]),
    T("offsite", "Leadership offsite: Dec 2", "team", "normal", msgs=[
        M("claire", EXEC, "11-12 12:00", cc=["dana"], quote=False, body=(
            "Hi all,\n\nThe leadership offsite is on Wednesday, December 2 at Salish Lodge, 8:30am to 5pm. "
            "Agenda: 2027 plan, pricing, engineering capacity. Please confirm dietary needs by Friday.")),
        M("hannah", ["claire"], "11-12 13:30", body=("Vegetarian for me, thanks!")),
        M("tom", ["claire"], "11-13 08:10", prio="low", body=("No restrictions. Thanks Claire.")),
        M("marcus", ["claire"], "11-13 09:40", cc=["dana"], body=(
            "I can come, but I may need to step out for the Pinecrest rollout if the hotfix slips.")),
        M("dana", EXEC, "11-23 07:30", cc=["claire"], body=(
            "Updated agenda: I'm adding a 90-minute block on engineering workload and on-call. Please read "
            "the engagement results before Wednesday.")),
    ]),
    T("marcus-1on1", "Agenda for our 1:1 Wednesday", "team", "normal", msgs=[
        M("marcus", ["dana"], "11-24 08:15", quote=False, body=(
            "For Wednesday: (1) on-call rotation with CS, (2) 5.0 dates, (3) Kestrel PO for Harborview, "
            "(4) Kenji's promotion case. Anything you want to add?"), reply=True),
        M("dana", ["marcus"], "11-24 08:40", body=(
            "Add the engagement results. And let's make sure you take real time off over the holiday.")),
    ]),
    T("holiday-party", "Holiday party: Dec 11", "team", "low", msgs=[
        M("hannah", ["dana"], "11-19 10:00", cc=EXEC, quote=False, body=(
            "We booked the Pike Brewing loft for the holiday party on Friday, December 11, families welcome. "
            "Dana, would you like to say a few words?"), reply=True, prio="normal"),
        M("dana", ["hannah"], "11-19 10:20", body=("Of course. Five minutes, no slides.")),
        M("priya", ["hannah"], "11-19 11:00", prio="low", body=("Yay! The sales team will be there.")),
        M("tom", ["hannah"], "11-19 11:20", prio="low", body=("CS is in. Thanks for organizing, Hannah!")),
    ]),
    # ---- recruiting -----------------------------------------------------------------------
    T("recruit-vp-marketing", "VP Marketing search: Omar Haddad", "recruiting", "important", msgs=[
        M("nina", ["dana"], "11-16 09:00", cc=["hannah"], quote=False, body=(
            "Dana,\n\nOmar Haddad completed his final round on Friday. The panel feedback is strong. Could you "
            "share your feedback by Wednesday so we can move quickly? He has a competing offer."), reply=True),
        M("dana", ["nina"], "11-16 10:30", cc=["hannah"], body=(
            "Strong yes from me. He was the only candidate who talked about our customers before our product.")),
        M("hannah", ["dana"], "11-24 11:00", body=(
            "Reference checks on Omar are done and all positive. Ready to draft the offer.")),
        M("dana", ["hannah"], "11-24 11:30", body=(
            "Great. Can you send me the offer details for Omar by Monday? Base, equity and start date.")),
        M("hannah", ["dana"], "11-24 12:05", body=("Yes, you'll have them Monday morning.")),
    ]),
    T("omar-thanks", "Thank you", "recruiting", "normal", msgs=[
        M("omar", ["dana"], "11-14 18:30", quote=False, body=(
            "Dana,\n\nThank you for your time today. The conversation about turning customer results into "
            "the story of the brand stayed with me. I'm very excited about Northwind.")),
        M("dana", ["omar"], "11-16 10:40", body=(
            "Omar, the feeling is mutual. You'll hear from Nina and Hannah this week.")),
    ]),
    T("interview-schedule", "Interview: Senior SRE candidate", "recruiting", "normal", msgs=[
        M("claire", ["dana"], "11-19 14:00", quote=False, body=(
            "Marcus would like you to do a 30-minute culture interview with Priscilla Ng (Senior SRE). Can you "
            "do Monday, November 30 at 2pm or Tuesday, December 1 at 10am?"), reply=True),
        M("dana", ["claire"], "11-19 14:30", body=("Tuesday at 10 please.")),
        M("claire", ["dana"], "11-19 14:45", prio="low", body=("Booked.")),
    ]),
    # ---- vendors --------------------------------------------------------------------------
    T("kestrel-invoice", "Invoice INV-4471 from Kestrel Sensors", "vendor", "normal", msgs=[
        M("kestrel", ["noah"], "11-10 06:00", cc=["dana"], quote=False,
          attach=[("INV-4471.pdf", "application/pdf", 52310)], body=(
            "Dear customer,\n\nPlease find attached invoice INV-4471 for 32 LX-9 lidar modules, total "
            "$38,400.00, payment due December 10, 2026.\n\nKestrel Sensors Accounts Receivable"), signoff=""),
        M("noah", ["kestrel"], "11-11 10:15", cc=["dana"], body=(
            "Thanks, approved and scheduled for payment on December 8.")),
    ]),
    T("mueller-motors", "Lieferung Antriebsmotoren / delivery of drive motors", "vendor", "important", msgs=[
        M("muller", ["marcus"], "11-17 09:30", cc=["dana"], fmt="windows-1252", quote=False, body=(
            "Dear Mr. Chen,\n\nI regret to inform you that the December shipment of 60 drive motors (order "
            "NW-2026-118) will be delayed by about two weeks because of a supplier issue at our Göppingen "
            "plant. The new delivery date is 18 December.\n\nAlso, from 1 January our prices increase by 4% "
            "(the unit price moves from €412 to €428.50). We would be happy to hold 2026 prices for orders "
            "placed before 15 December.\n\nMit freundlichen Grüßen\nJürgen Müller"), signoff=""),
        M("marcus", ["muller"], "11-17 11:05", cc=["dana"], body=(
            "Thank you for the notice, Jürgen. The two-week delay is manageable. We'll decide on the early "
            "order by December 11.")),
        M("marcus", ["dana"], "11-17 11:10", body=(
            "FYI: placing our Q1 motor order before December 15 saves about €1,000 per 60 motors. I'll include "
            "it in the Harborview capacity plan.")),
    ]),
    T("brightline-invoice", "Brightline Legal: invoice for November services", "vendor", "normal", msgs=[
        M("brightline", ["noah"], "11-20 08:00", cc=["dana"], quote=False,
          attach=[("Brightline-INV-2026-1187.pdf", "application/pdf", 40112)], body=(
            "Attached is invoice 2026-1187 for $12,500.00 (review of the Meridian master services agreement "
            "and the Harborview order form). Payment terms: net 30."), signoff="Brightline Legal LLP, Accounts"),
        M("noah", ["dana"], "11-20 09:15", body=(
            "Dana, this is $4,000 over the estimate Brightline gave us for the Meridian MSA. OK to pay, or do "
            "you want me to push back?"), reply=True),
    ]),
    T("cloudnimbus-nov", "Your CloudNimbus invoice for November 2026", "vendor", "low", kind="notification", msgs=[
        M("nimbus", ["noah"], "11-22 03:00", cc=["dana"], quote=False, fmt="html-only", body=(
            "Your invoice for November 2026 is ready.\n\nAccount: Northwind Robotics\nAmount due: $18,240.17\n"
            "Due date: December 22, 2026\n\nThis amount will be charged to the card on file."), signoff=""),
    ]),
    # ---- more internal work --------------------------------------------------------------
    T("harborview-proposal", "Harborview proposal draft", "team", "important", msgs=[
        M("priya", ["dana"], "11-23 17:00", cc=["ben"], quote=False,
          attach=[("Harborview-expansion-proposal-v1.docx",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 75400)], body=(
            "First draft of the Harborview proposal attached: 40 additional units on a 2-year term at 5% off "
            "list, $456,000 per year, site survey December 2, first 20 units by February 15 pending the "
            "Kestrel PO.")),
        M("dana", ["priya"], "11-24 07:20", cc=["ben"], body=(
            "Looks good. Two changes: lead with their pick-rate results from Kent, and add the Fleet Analytics "
            "option. Can you send me the final version by Friday so I can send it Monday?")),
        M("priya", ["dana"], "11-24 08:05", cc=["ben"], body=(
            "Yes, I'll have the final version to you by Friday, November 27.")),
        M("elena", ["priya", "dana"], "11-24 10:30", body=(
            "Checked the margin: at 5% off we're at 64% gross margin on the RaaS line. Fine by me.")),
    ]),
    T("cascade-pricing", "Cascade 3-year numbers", "team", "important", msgs=[
        M("dana", ["priya"], "11-17 08:00", cc=["grace"], quote=False, body=(
            "Priya, can you draft Cascade's 3-year numbers by Monday the 23rd? Include an option with the four "
            "Boise units.")),
        M("priya", ["dana"], "11-23 09:10", cc=["grace"], body=(
            "Here they are. 18 units on a 3-year term at 10% off: $194,400 per year. With 4 Boise units from "
            "July: 22 units, $237,600 per year at full run rate. Both within the 12% cap.")),
        M("dana", ["priya"], "11-23 09:45", cc=["grace"], body=(
            "Thanks. I'll send Julia the first option and mention Boise as an add-on.")),
    ]),
    T("meridian-security", "Meridian security questionnaire", "team", "normal", msgs=[
        M("jordan", ["ben"], "11-24 11:00", cc=["dana"], quote=False, body=(
            "Ben, can you take the technical sections of Meridian's security questionnaire? Due back to them "
            "December 8.")),
        M("ben", ["jordan"], "11-24 11:40", cc=["dana"], body=(
            "Sure. I'll have my sections done by December 3 so you have time to review.")),
        M("jordan", ["dana"], "11-24 12:00", reply=True, prio="important", body=(
            "Dana, Sarah asked if you can join their executive review on December 10 in Memphis. Can I "
            "confirm?")),
    ]),
    T("pinecrest-rollout", "4.2.1 rollout plan for Pinecrest", "team", "important", msgs=[
        M("raj", ["luis", "kenji"], "11-24 15:00", cc=["dana", "marcus", "sofia"], quote=False, body=(
            "Rollout plan: Kenji cuts 4.2.1 on November 30, Luis installs at Tacoma on December 1 during the "
            "night shift, and we watch uptime for 72 hours.")),
        M("luis", ["raj"], "11-24 15:30", cc=["dana", "marcus", "sofia", "kenji"], body=(
            "Works for me. I'll be on site December 1 from 10pm.")),
        M("sofia", ["raj"], "11-24 16:10", cc=["dana", "marcus", "luis", "kenji"], body=(
            "I'm not comfortable: we skipped half the regression matrix. I need two more days or I can't sign "
            "off.")),
        M("marcus", ["sofia", "raj"], "11-24 20:00", cc=["dana", "luis", "kenji"], body=(
            "Sofia is right. Decision: we run the full matrix over the weekend, release still December 1. "
            "I'll cover the weekend shift myself.")),
    ]),
    T("weekend-oncall", "Weekend on-call", "team", "normal", msgs=[
        M("kenji", ["raj"], "11-22 21:30", quote=False, cc=["dana"], body=(
            "Raj, I can't do another weekend on call. I've been paged four weekends out of five and I'm "
            "exhausted.")),
        M("raj", ["kenji"], "11-22 22:05", cc=["dana"], body=(
            "Completely fair, Kenji. I'm taking this weekend and next. We're fixing the rotation this week.")),
    ]),
    T("cs-holiday", "Holiday coverage plan", "team", "normal", msgs=[
        M("grace", ["tom"], "11-18 10:00", cc=["dana", "mia", "luis"], quote=False, body=(
            "Draft holiday coverage: Grace Dec 21-24, Mia Dec 28-31, Luis on call for field issues both weeks "
            "with Raj's team as backup.")),
        M("mia", ["grace"], "11-18 10:30", cc=["dana", "tom", "luis"], body=("Works for me.")),
        M("tom", ["grace"], "11-18 11:00", cc=["dana", "mia", "luis"], body=(
            "Approved. Thank you for sorting this out early.")),
    ]),
    T("kestrel-po", "Lidar PO for Harborview expansion", "vendor", "important", msgs=[
        M("marcus", ["paula"], "11-24 09:00", cc=["dana"], quote=False, body=(
            "Paula, we may need 25 LX-9 lidar units delivered by January 29. What's the latest date we can "
            "place the PO?")),
        M("paula", ["marcus"], "11-24 13:20", cc=["dana"], body=(
            "Hi Marcus, if the PO reaches us by December 1 we can ship 25 units on January 29. Unit price is "
            "$1,200 with the current agreement, $30,000 in total.")),
        M("marcus", ["paula"], "11-24 14:00", cc=["dana"], body=(
            "Thanks Paula. We'll confirm by December 1.")),
    ]),
    T("rebecca-schedule", "Rebecca Stone / Dana: 30 min", "investor", "normal", msgs=[
        M("claire", ["rebecca"], "11-18 10:00", cc=["dana"], quote=False, body=(
            "Hi Rebecca, would Tuesday, December 8 at 9am Pacific work for 30 minutes with Dana?")),
        M("rebecca", ["claire"], "11-18 11:10", cc=["dana"], prio="low", body=("Perfect, see you then.")),
    ]),
    T("atlas-exec-call", "Atlas exec call: options for Dec 4", "customer", "normal", msgs=[
        M("claire", ["wei"], "11-20 09:00", cc=["dana", "aisha"], quote=False, body=(
            "Hi Wei, Dana can do Friday, December 4 at 10am or 2pm Pacific. Which works for Carla?")),
        M("wei", ["claire"], "11-20 12:30", cc=["dana", "aisha"], body=("10am works. Thank you!")),
        M("claire", ["wei"], "11-20 12:45", cc=["dana", "aisha"], prio="low", body=("Invitation sent.")),
    ]),
]
