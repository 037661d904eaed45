"""Customer threads: an expansion, a renewal, a churn risk, an upsell, two new opportunities."""

from __future__ import annotations

from .dsl import M, T

THREADS = [
    T("harborview-expansion", "Harborview: expanding the fleet in Q1", "customer", "important", client="outlook", msgs=[
        M("mark", ["dana"], "11-12 08:14", cc=["priya"], reply=True, fmt="html", quote=False, body=(
            "Hi Dana,\n\nThe pilot at our Kent DC has gone better than we hoped: the 12 NW-200s are picking 31% "
            "more lines per shift than our manual zones, and the floor team actually likes them.\n\n"
            "We are planning to roll out to Tacoma and Fife in Q1. We'd like to expand to 40 units, around "
            "$480,000 a year if your current pricing holds. Could we get a proposal and talk about volume "
            "pricing? We also need to understand how you integrate with Manhattan WMS.")),
        M("dana", ["mark"], "11-12 09:02", cc=["priya"], body=(
            "Mark,\n\nThat is fantastic news, and thank you for the detail on the pick rates. Priya and I would "
            "love to walk you through the options. Would Thursday, November 19 at 10am work for a call?")),
        M("mark", ["dana"], "11-13 07:41", cc=["priya"], fmt="html", body=(
            "Thursday at 10 works. I'll bring Anita, our IT lead, for the WMS questions.")),
        M("dana", ["mark"], "11-19 11:20", cc=["priya", "ben"], body=(
            "Mark,\n\nThanks for the time today, and thanks to Anita for the WMS walkthrough.\n\n"
            "As promised, I'll send you the formal expansion proposal by Monday, November 30. Ben will "
            "coordinate the site survey at Tacoma on December 2.")),
        M("mark", ["dana"], "11-20 16:05", cc=["priya", "ben"], reply=True, fmt="html",
          attach=[("Harborview-WMS-integration-spec.pdf", "application/pdf", 48213)], body=(
            "Dana,\n\nAttached are our WMS integration specs. One more question before we take this to our "
            "CFO: can you commit to delivering the first 20 units by February 15? Our Tacoma go-live depends "
            "on it.")),
    ]),
    T("harborview-capacity", "Can we deliver 20 units to Harborview by Feb 15?", "team", "important", msgs=[
        M("dana", ["marcus"], "11-23 08:30", cc=["priya", "elena"], quote=False, body=(
            "Marcus,\n\nHarborview wants the first 20 of the 40 units by February 15 (see Mark's note below). "
            "Can you confirm production capacity by Wednesday? I don't want to promise a date we can't hit.")),
        M("marcus", ["dana"], "11-23 10:12", cc=["priya", "elena"], body=(
            "It's tight. Kestrel's lidar lead time is 10 weeks right now. I'll confirm by Wednesday after "
            "I talk to Kestrel tomorrow.")),
        M("elena", ["dana", "marcus"], "11-24 09:48", cc=["priya"], body=(
            "If we need to pre-buy lidar, that's about $96,000 of inventory for 25 units. Cash is fine "
            "(22 months of runway), but I'd flag it for the board.")),
        M("marcus", ["dana"], "11-25 07:52", cc=["priya", "elena"], prio="urgent", reply=True, body=(
            "Good news: Kestrel can deliver 25 lidar units by January 29 if we place the PO by December 1. "
            "So yes on February 15, provided the PO goes out. Can you approve the $96,000 PO today so Noah "
            "can send it before the holiday?")),
    ]),
    T("cascade-renewal", "Cascade Foods renewal: contract ends Dec 31", "customer", "important", msgs=[
        M("grace", ["julia"], "11-09 10:05", cc=["dana", "tom"], quote=False, body=(
            "Hi Julia,\n\nA friendly reminder that your Northwind agreement (18 NW-200 units, $216,000 per "
            "year) ends on December 31. I'd love to set up time to review the year and the renewal.")),
        M("julia", ["grace"], "11-10 14:22", cc=["dana"], fmt="html", body=(
            "Hi Grace,\n\nWe intend to renew. We'd like to discuss a 3-year term: what discount could you "
            "offer? We may also add 4 units for our Boise site next summer.")),
        M("grace", ["dana"], "11-10 15:01", cc=["tom"], body=(
            "Dana, looping you in since Julia asked about a multi-year term. Per the pricing sheet a 3-year "
            "term is 10% off list. Do you want to handle the pricing conversation directly?")),
        M("julia", ["dana"], "11-16 09:33", cc=["grace"], reply=True, fmt="html", body=(
            "Hi Dana,\n\nFollowing up on the renewal: our procurement team needs pricing by December 4 to get "
            "it into the FY27 budget. Can you send the 3-year numbers?")),
        M("dana", ["julia"], "11-16 12:10", cc=["grace"], body=(
            "Hi Julia,\n\nThank you, and we're glad to keep working together. I'll get back to you with the "
            "multi-year pricing by December 1.")),
        M("julia", ["dana"], "11-24 13:47", cc=["grace"], reply=True, fmt="html", body=(
            "Thanks Dana. Just making sure December 1 still holds? Our CFO, Peter Walsh, will join the "
            "signing call, so I'd like to send him the numbers ahead of time.")),
    ]),
    T("pinecrest-escalation", "Tacoma outage again", "customer", "urgent", msgs=[
        M("robert", ["tom"], "11-13 17:40", cc=["dana"], reply=True, quote=False, body=(
            "Tom,\n\nThis is the third outage this month at our Tacoma site. On Tuesday 4 of our 12 robots "
            "were down for six hours and we missed our same-day shipments to two hospitals. This is not "
            "acceptable.\n\nIf reliability does not improve we will evaluate alternatives before our renewal "
            "in January.")),
        M("dana", ["robert"], "11-13 19:05", cc=["tom"], body=(
            "Robert,\n\nI'm sorry. Missing hospital shipments is exactly what we exist to prevent. Tom is "
            "leading the response personally and I'd like to join a review with you on Tuesday.")),
        M("tom", ["robert"], "11-14 08:20", cc=["dana", "luis"], body=(
            "Robert,\n\nLuis will be on site Monday morning. We'll replace the lidar modules on all Tacoma "
            "units by Friday, November 20, and I'll share a written root-cause analysis after that.")),
        M("robert", ["dana"], "11-23 08:02", cc=["tom"], reply=True, body=(
            "Dana,\n\nBetter this week, but we had another stall on Saturday night. I need to see uptime "
            "above 98% through December before our renewal review in January. Can we get on a call "
            "Wednesday?")),
        M("dana", ["robert"], "11-23 08:40", cc=["tom"], body=(
            "Robert, yes. Wednesday at 3pm works on our side. Tom will send you the root-cause report "
            "before then.")),
        M("robert", ["dana"], "11-23 11:15", cc=["tom"], prio="normal", mobile=True, body=(
            "Confirmed for Wednesday 3pm.")),
    ]),
    T("pinecrest-rca", "Pinecrest root cause + hotfix", "team", "urgent", msgs=[
        M("tom", ["dana"], "11-21 18:10", cc=["marcus"], quote=False, body=(
            "Dana,\n\nPinecrest is at real risk: $144,000 of ARR and a renewal in January. Robert is "
            "frustrated and I don't blame him. I'll have the root-cause report to you by Wednesday.")),
        M("marcus", ["dana", "tom"], "11-21 20:44", body=(
            "Kenji found it: localization drift in low light after firmware 4.2.0. The lidar swap helped but "
            "didn't fix the cause. We'll ship hotfix 4.2.1 to Pinecrest by December 1.")),
        M("dana", ["tom", "marcus"], "11-22 09:15", cc=["elena"], body=(
            "Thanks both. Please prioritize this over the 5.0 release. Should we offer a service credit? "
            "Elena, what would one month of credit cost us?")),
        M("elena", ["dana"], "11-22 10:02", cc=["tom", "marcus"], body=(
            "One month is $12,000. I'd cap any credit at one month and tie it to the hotfix date.")),
        M("kenji", ["marcus"], "11-24 23:18", cc=["dana", "tom"], body=(
            "The 4.2.1 candidate passed a 48-hour soak in the low-light rig. Honestly the team is exhausted; "
            "we've pulled two late nights and I'm worried we're cutting corners on the test matrix.")),
        M("tom", ["dana"], "11-25 07:31", cc=["marcus"], reply=True,
          attach=[("Pinecrest-RCA-draft.pdf", "application/pdf", 182344)], body=(
            "RCA draft attached. Can you review it before the 3pm call with Robert? I'd like your call on "
            "whether we offer the one-month credit.")),
    ]),
    T("atlas-analytics", "Fleet Analytics for Atlas Home Goods", "customer", "important", msgs=[
        M("aisha", ["wei"], "11-10 11:00", cc=["dana"], quote=False, fmt="html", body=(
            "Hi Wei,\n\nFollowing our QBR, here is the Fleet Analytics overview. It adds congestion heatmaps, "
            "pick-path analytics and a weekly utilization report. It's $3,000 per unit per year, so $36,000 "
            "a year for your 12 units.")),
        M("wei", ["aisha"], "11-11 09:12", cc=["dana"], body=(
            "Interesting. Our ops team specifically wants the congestion heatmaps. I'll confirm budget for "
            "the analytics add-on after our ops review on December 2.")),
        M("aisha", ["wei"], "11-18 10:30", cc=["dana"], body=(
            "Great. I've enabled 30 days of trial access for your team so you can show real data at the "
            "ops review.")),
        M("wei", ["aisha", "dana"], "11-19 15:48", reply=True, body=(
            "The team loves the heatmaps already; we found two aisles that jam every afternoon. Could Dana "
            "join a short exec call with our SVP, Carla Benton, in early December?")),
        M("dana", ["wei"], "11-20 08:05", cc=["aisha", "claire"], body=(
            "Wei, happy to. Claire will send you options for December 4.")),
    ]),
    T("meridian-pilot", "Meridian Pharma: AMR pilot for Memphis", "customer", "important", msgs=[
        M("sarah", ["dana"], "11-06 16:20", reply=True, quote=False, fmt="html", body=(
            "Hi Dana,\n\nWe met briefly at ProMat. We're evaluating autonomous mobile robots for our cold-chain "
            "DC in Memphis and would like to start with a 10-unit pilot. Our budget is around $120,000 for "
            "the first year. Who is the right person to talk to?")),
        M("dana", ["sarah"], "11-06 18:02", cc=["jordan"], body=(
            "Sarah, great to hear from you. I'm copying Jordan Blake, who leads our pharma accounts; he'll "
            "set up a discovery call.")),
        M("jordan", ["sarah"], "11-09 09:15", cc=["dana"], body=(
            "Hi Sarah, thanks for reaching out. Would Friday, November 20 at 11am Pacific work for a "
            "discovery call?")),
        M("sarah", ["jordan"], "11-10 07:55", cc=["dana"], fmt="html", body=(
            "Friday the 20th at 11 works. I'll bring our QA director.")),
        M("jordan", ["dana"], "11-20 13:10", body=(
            "Discovery call went well. They need validation for 2-8°C environments and a vendor security "
            "review. Likely close in Q1 if the pilot starts in February.")),
        M("sarah", ["jordan"], "11-24 10:40", cc=["dana"], fmt="html",
          attach=[("Meridian-vendor-security-questionnaire.docx",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 61022)], body=(
            "Hi Jordan,\n\nAttached is our vendor security questionnaire; could you return it by December 8? "
            "Also, could Dana join our executive review on December 10? Our CEO would like to meet her.")),
        M("jordan", ["sarah"], "11-24 11:05", cc=["dana"], prio="normal", body=(
            "Thanks Sarah. We'll return the questionnaire by December 8, and I'll confirm Dana's attendance "
            "shortly.")),
    ]),
    T("summit-inbound", "AMRs for our new Reno DC", "customer", "important", msgs=[
        M("derek", ["jordan"], "11-17 08:45", cc=["dana"], quote=False, body=(
            "Hello,\n\nSummit Outdoor Supply is opening a new distribution center in Reno in Q2. We are "
            "evaluating AMRs, likely 25 units, and our budget is approved at around $300,000. Could you send "
            "pricing and two customer references?")),
        M("jordan", ["derek"], "11-17 11:30", cc=["dana"], attach=[("Northwind-pricing-2026.pdf", "application/pdf", 90412)],
          body=("Thanks Derek, pricing sheet attached. I'll send you two reference contacts by Friday.")),
        M("derek", ["jordan"], "11-18 09:02", cc=["dana"], prio="normal", body=(
            "Thanks. A grocery or 3PL reference would be ideal.")),
        M("jordan", ["dana"], "11-20 09:40", prio="normal", reply=True, body=(
            "Dana, is it OK if I give Mark Delaney at Harborview as a reference for Summit?")),
        M("dana", ["jordan"], "11-20 10:05", prio="normal", body=(
            "Yes, but ask Mark first; he's in the middle of their own expansion and I don't want to "
            "overload him.")),
        M("jordan", ["derek"], "11-23 10:15", cc=["dana"], prio="normal", quote=False, body=(
            "Derek, as promised, two references: Mark Delaney (VP Operations, Harborview Logistics, a 3PL) and "
            "Julia Moreno (Director of Supply Chain, Cascade Foods, grocery). Both are expecting your call.")),
    ]),
    T("cab-invite", "Invitation: Northwind Customer Advisory Board", "customer", "normal", msgs=[
        M("dana", ["julia", "mark", "wei"], "11-11 10:00", quote=False, body=(
            "Hi all,\n\nWe're forming a small Customer Advisory Board that meets twice a year to shape our "
            "roadmap. The first session is in February in Seattle. Would you be willing to join?")),
        M("wei", ["dana"], "11-11 13:20", body=("Count me in. Thanks for asking.")),
        M("julia", ["dana"], "11-12 08:05", fmt="html", body=("I'd be glad to. Please send dates when you have them.")),
        M("mark", ["dana"], "11-12 08:30", body=(
            "Happy to join. Can you tell me roughly how much time it takes between sessions?"), reply=True),
        M("dana", ["mark"], "11-12 09:30", body=(
            "Mark, about four hours between sessions: one survey and one 45-minute call. Thank you for "
            "joining.")),
    ]),
]
