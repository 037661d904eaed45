"""Alpenrose Biologics (Basel): contract development and manufacturing of biologics. HELD OUT: written before any
rule was tuned; its misses are never read while tuning. September 2026; Tuesday 1 September, Friday 4, Friday 11,
Friday 18, Friday 25; Thursday 1 October."""

from __future__ import annotations

from .dsl import C, M, O, P, T

NAME = "alpenrose"
INDUSTRY = "biologics contract manufacturing (Switzerland)"
TUNING = False
YEAR = 2026
TZ = "Europe/Zurich"

PEOPLE = {
    "me": P("Katrin Vogel", "k.vogel@alpenrose-bio.ch", "CEO", "Alpenrose Biologics AG"),
    "matthias": P("Matthias Keller", "m.keller@alpenrose-bio.ch", "VP Business Development", "Alpenrose Biologics AG"),
    "lea": P("Lea Brunner", "l.brunner@alpenrose-bio.ch", "CFO", "Alpenrose Biologics AG", "casual"),
    "samuel": P("Samuel Ochieng", "s.ochieng@alpenrose-bio.ch", "Head of Quality", "Alpenrose Biologics AG"),
    "nina": P("Nina Rossi", "n.rossi@alpenrose-bio.ch", "Head of Manufacturing", "Alpenrose Biologics AG", "mobile"),
    "felix": P("Felix Baumann", "f.baumann@alpenrose-bio.ch", "Senior Project Manager", "Alpenrose Biologics AG", "casual"),
    "chiara": P("Chiara Gallo", "c.gallo@alpenrose-bio.ch", "Regulatory Affairs Lead", "Alpenrose Biologics AG", "bare"),
    "hans": P("Hans Meier", "hans.meier@meier-partners.ch", "Chairman of the Board", "Alpenrose Biologics AG"),
    "sarah": P("Sarah Lindqvist", "sarah.lindqvist@nordiclsf.se", "Investment Director", "Nordic Life Science Fund"),
    # customers
    "tobias": P("Tobias Wirth", "tobias.wirth@helvetix-pharma.ch", "Head of External Manufacturing", "Helvetix Pharma"),
    "rebecca": P("Rebecca Moss", "rmoss@corvalistx.com", "VP CMC", "Corvalis Therapeutics"),
    "jun": P("Jun Takahashi", "j.takahashi@minatobio.co.jp", "General Manager, Alliance", "Minato Bio"),
    "elise": P("Elise Fontaine", "elise.fontaine@lumabiotech.fr", "Directrice des Opérations", "Luma Biotech"),
    "george": P("George Abbott", "g.abbott@thamesgenomics.co.uk", "COO", "Thames Genomics", "casual"),
    "ingrid": P("Ingrid Solberg", "ingrid@fjellbio.no", "CEO", "Fjell Bio", "mobile"),
    "paul": P("Paul Fischer", "paul.fischer@rhenania-bio.de", "Leiter Einkauf", "Rhenania Biotech"),
    "aditi": P("Aditi Rao", "aditi.rao@nilgiribio.in", "Director, Biologics Sourcing", "Nilgiri Biologics"),
    "mike": P("Mike Donnelly", "mdonnelly@bluecrestbio.com", "SVP Technical Operations", "Bluecrest Bio"),
    "anouk": P("Anouk de Vries", "a.devries@zeelandpharma.nl", "Supply Chain Director", "Zeeland Pharma"),
    "carlos": P("Carlos Mendes", "cmendes@atlanticavacinas.pt", "Diretor Industrial", "Atlântica Vacinas"),
    "hye": P("Hye-jin Park", "hyejin.park@hanbitbio.kr", "Head of CMC", "Hanbit Bio"),
    "lukas": P("Lukas Novak", "l.novak@vltavabio.cz", "CFO", "Vltava Bio", "casual"),
    "rachel": P("Rachel Green", "rachel.green@cedarpointrx.com", "Program Director", "Cedar Point Rx"),
    "stefan": P("Stefan Huber", "stefan.huber@danubiopharm.at", "Head of Procurement", "Danubio Pharm"),
    "emily": P("Emily Zhao", "ezhao@pacificantibody.com", "VP Manufacturing", "Pacific Antibody Corp"),
    "olivier": P("Olivier Martin", "o.martin@genevax.ch", "CEO", "Genevax SA", "bare"),
    "tom_b": P("Tom Bradley", "tbradley@keystonebio.com", "Director of Operations", "Keystone Biologics"),
    "sanna": P("Sanna Virtanen", "sanna.virtanen@aurorabio.fi", "Head of Development", "Aurora Bio Oy"),
    "david": P("David Cohen", "david@shefabio.co.il", "VP Operations", "Shefa Bio"),
    "laura": P("Laura Bianchi", "l.bianchi@lagunapharma.it", "Responsabile Acquisti", "Laguna Pharma"),
    "amir": P("Amir Nasser", "a.nasser@gulfbiotech.sa", "Procurement Manager", "Gulf Biotech"),
    "julia": P("Julia Weber", "julia.weber@bodenseebio.de", "Projektleiterin", "Bodensee Bio"),
    "ryan": P("Ryan Walsh", "rwalsh@celtichealth.ie", "Head of Supply", "Celtic Health", "casual"),
    "mei": P("Mei Lin", "mei.lin@lionbio.sg", "Director, Partnerships", "Lion City Bio"),
    # vendors and others
    "bioflux": P("Andreas Roth", "a.roth@bioflux-supplies.de", "Key Account Manager", "Bioflux Supplies GmbH"),
    "coldchain": P("Marco Steiner", "marco.steiner@coldchain-express.ch", "Account Manager", "ColdChain Express"),
    "lawyer": P("Dr. Beatrice Frey", "b.frey@frey-legal.ch", "Partner", "Frey Legal"),
    "headhunter": P("Oliver Grant", "ogrant@lifesci-talent.com", "Partner", "LifeSci Talent Partners"),
    "husband": P("Reto Vogel", "reto.vogel@bluewin.ch", "", "", "bare"),
    "sister": P("Anja Vogel", "anja.vogel77@gmail.com", "", "", "casual"),
    "biopharmadive": P("BioProcess Insider", "news@bioprocess-insider.com", "", "", "bare"),
    "swissbio": P("Swiss Biotech Association", "newsletter@swissbiotech.org", "", "", "bare"),
    "lims": P("LabTrack LIMS", "noreply@labtrack.io", "", "", "bare"),
    "bank": P("UBS e-banking", "noreply@ubs-notifications.com", "", "", "bare"),
    "travel": P("SWISS", "booking-confirmation@swiss.com", "", "", "bare"),
}

THREADS = [
    # -- deals ---------------------------------------------------------------------------------------------
    T("helvetix", "Tech transfer HX-204 - commercial supply", "customer", "important", client="outlook", opp=O("Helvetix Pharma", "new", 1200000, "CHF"), msgs=[
        M("tobias", ["me"], "09-01 08:40", cc=["matthias"], reply=True, c=[C("a01", "me", "send an offer for the HX-204 tech transfer", "2026-09-11")], body=(
            "Dear Katrin,\n\nOur steering committee has approved CHF 1.2 million for the technology transfer of "
            "HX-204 to an external manufacturer. We would welcome an offer from Alpenrose. The committee meets "
            "again on 24 September. We would need your offer by 11 September to prepare the decision.")),
        M("me", ["tobias"], "09-01 10:15", cc=["matthias"], also=["a01"], body=(
            "Dear Tobias,\n\nThank you very much for the trust. Matthias and I will prepare the offer and send it to "
            "you by 11 September.")),
    ]),
    T("corvalis", "Phase III supply - request for proposal", "customer", "important", opp=O("Corvalis Therapeutics", "new", 3400000, "USD"), msgs=[
        M("rebecca", ["me", "matthias"], "09-01 15:30", reply=True, c=[C("a02", "me", "provide a proposal for Phase III supply", "2026-09-18")], body=(
            "Hi Katrin, Matthias,\n\nWe're moving CRV-11 into Phase III and need a second source for drug substance. "
            "Our budget for the campaign is $3.4m. Could you provide a proposal, including slot availability in Q1? "
            "Ideally we'd have it within two and a half weeks, i.e. by Friday the 18th.")),
    ]),
    T("minato", "Inquiry regarding fill-finish capacity", "customer", "important", opp=O("Minato Bio", "new", 45000000, "JPY"), msgs=[
        M("jun", ["me"], "09-02 03:10", reply=True, body=(
            "Dear Dr. Vogel,\n\nMinato Bio is looking for a European partner for fill-finish of our biosimilar. "
            "We estimate JPY 45,000,000 for the first campaign. Could you tell us whether you have capacity in "
            "2027?")),
        M("me", ["jun"], "09-02 08:30", cc=["nina"], c=[C("a03", "nina", "check fill-finish capacity for 2027", "2026-09-07")], body=(
            "Dear Takahashi-san,\n\nThank you for your inquiry. Nina Rossi, our Head of Manufacturing, will check our "
            "2027 capacity and reply by Monday.")),
    ]),
    T("luma", "Extension du contrat - deuxième produit", "customer", "important", opp=O("Luma Biotech", "expansion", 2600000, "EUR"), msgs=[
        M("elise", ["me"], "09-02 11:00", reply=True, c=[C("a04", "me", "confirm whether the second product can be added", "2026-09-04")], body=(
            "Dear Katrin,\n\nWe are very satisfied with LB-01. We would now like to add our second antibody, "
            "LB-07, to the master agreement. The total value would rise by €2.6M. Can you confirm that this is "
            "possible? Our board decides on Friday, so your confirmation is needed before then.")),
    ]),
    T("thames", "renewal of the development agreement", "customer", "important", opp=O("Thames Genomics", "renewal", 750000, "GBP"), msgs=[
        M("george", ["me"], "09-03 09:20", reply=True, body=(
            "Katrin - our development agreement runs out at the end of October. We'd like to renew for 2027 at "
            "roughly the same scope, £750k. Can you get the paperwork moving?")),
        M("me", ["george"], "09-03 10:00", cc=["lea"], c=[C("a05", "lea", "send the renewal paperwork for Thames", "2026-09-10")], body=(
            "George, gladly. Lea will send you the renewal paperwork next Thursday.")),
    ]),
    T("fjell", "pilot batch?", "customer", "important", opp=O("Fjell Bio", "new", 9000000, "SEK"), msgs=[
        M("ingrid", ["me"], "09-03 18:45", reply=True, body=(
            "Hi Katrin, we just closed our Series B and have SEK 9 million for a GMP pilot batch next year. Are you "
            "taking on new programmes? Would love to talk.")),
        M("me", ["ingrid"], "09-04 08:10", cc=["matthias"], c=[C("a40", "matthias", "set up an intro call", "2026-09-08")], body=(
            "Ingrid, congratulations on the round! Yes, we are. Matthias will set up an intro call for Tuesday.")),
    ]),
    T("rhenania", "Angebotsanfrage: Zellbank-Herstellung / cell bank manufacturing", "customer", "important", opp=O("Rhenania Biotech", "new", 380000, "EUR"), msgs=[
        M("paul", ["me"], "09-04 08:00", reply=True, c=[C("a06", "me", "send an offer for the cell bank manufacturing", "2026-09-16")], body=(
            "Dear Dr. Vogel,\n\nWe request a quotation for the manufacturing of a master and working cell bank. Our "
            "budget is EUR 380.000. Please submit your quotation no later than 16.09.2026.")),
    ]),
    T("nilgiri", "Biosimilar scale-up - pricing", "customer", "important", opp=O("Nilgiri Biologics", "new", 1100000, "USD"), msgs=[
        M("aditi", ["matthias"], "09-04 10:30", cc=["me"], body=(
            "Dear Matthias,\n\nFurther to our call, we are interested in scaling our biosimilar to 2,000 L with "
            "Alpenrose. We have US$1.1 million allocated. Kindly share indicative pricing.")),
        M("matthias", ["aditi"], "09-04 14:00", cc=["me"], c=[C("a07", "matthias", "share indicative pricing for the scale-up", "2026-09-09")], body=(
            "Dear Aditi,\n\nThank you. I will share indicative pricing by Wednesday next week.")),
    ]),
    T("bluecrest", "Bluecrest - additional batches 2027", "customer", "important", opp=O("Bluecrest Bio", "expansion", 850000, "USD"), msgs=[
        M("mike", ["me"], "09-07 14:00", reply=True, body=(
            "Katrin,\n\nDemand is up. We want to add four more batches in 2027, about $850K on top of the existing "
            "order. Are there slots in H1?")),
        M("me", ["mike"], "09-07 16:20", c=[C("a08", "me", "confirm H1 slots for the four extra batches", "2026-09-09")], body=(
            "Mike, good news for both of us. I'll confirm the H1 slots by Wednesday.")),
    ]),
    T("zeeland", "Zeeland Pharma - contract renewal 2027-2029", "customer", "important", opp=O("Zeeland Pharma", "renewal", 4800000, "EUR"), msgs=[
        M("anouk", ["me"], "09-08 09:00", reply=True, c=[C("a09", "me", "send renewal terms for 2027-2029", "2026-09-25")], body=(
            "Dear Katrin,\n\nOur supply agreement ends in December. We intend to renew it for three years; the "
            "expected value is around 4.8 million euros. Please send us your renewal terms. We need them by "
            "the 25th of this month.")),
    ]),
    T("atlantica", "Vaccine fill - urgent capacity request", "customer", "urgent", opp=O("Atlântica Vacinas", "new", 600000, "EUR"), msgs=[
        M("carlos", ["me"], "09-08 07:30", reply=True, c=[C("a10", "me", "confirm capacity for the vaccine fill", "2026-09-08")], body=(
            "Dear Katrin,\n\nOur other partner has failed a GMP inspection. We urgently need fill capacity for 2 "
            "million doses, budget EUR 600k. Can you confirm capacity today? We must inform the ministry tonight.")),
    ]),
    T("hanbit", "Request for Quotation - HB-330 process development", "customer", "important", opp=O("Hanbit Bio", "new", 2300000, "USD"), msgs=[
        M("hye", ["me"], "09-09 02:00", reply=True, body=(
            "Dear Katrin Vogel,\n\nHanbit Bio would like to request a quotation for process development and GMP "
            "manufacturing of HB-330. Estimated budget USD 2.3M. We would be grateful for a quotation.")),
        M("me", ["hye"], "09-09 09:00", cc=["matthias"], c=[C("a11", "matthias", "send the quotation for HB-330", "2026-09-23")], body=(
            "Dear Dr. Park,\n\nThank you for considering Alpenrose. Matthias Keller will send the quotation within "
            "two weeks.")),
    ]),
    T("vltava", "Price for stability study", "customer", "important", opp=O("Vltava Bio", "new", 95000, "CHF"), msgs=[
        M("lukas", ["me"], "09-09 12:00", reply=True, body=(
            "Hi Katrin, quick one - what would a 24-month stability study cost? We have about CHF 95k in the "
            "budget.")),
    ]),
    T("cedar", "Cedar Point - expanding to the 2,000 L line", "customer", "important", opp=O("Cedar Point Rx", "expansion", 1750000, "USD"), msgs=[
        M("rachel", ["me"], "09-10 16:00", reply=True, body=(
            "Hi Katrin,\n\nFollowing the successful engineering run we'd like to expand the programme to your "
            "2,000 L line. Finance has approved USD 1,750,000. Could you send a change order?")),
        M("me", ["rachel"], "09-10 17:30", cc=["felix"], c=[C("a12", "felix", "send the change order for the 2,000 L line", "2026-09-15")], body=(
            "Rachel, excellent. Felix will send the change order by Tuesday.")),
    ]),
    T("danubio", "Verlängerung Qualitätsvereinbarung und Liefervertrag", "customer", "important", opp=O("Danubio Pharm", "renewal", 1250000, "CHF"), msgs=[
        M("stefan", ["me"], "09-11 09:30", reply=True, body=(
            "Dear Ms Vogel,\n\nWe wish to renew our supply agreement for 2027 with a volume of CHF 1'250'000. "
            "Please also update the quality agreement.")),
        M("me", ["stefan"], "09-11 11:00", cc=["samuel"], c=[C("a13", "samuel", "send the updated quality agreement", "2026-09-18")], body=(
            "Dear Mr Huber,\n\nThank you. Samuel Ochieng will send the updated quality agreement by 18 September.")),
    ]),
    T("pacific", "Upgrade to continuous processing?", "customer", "important", opp=O("Pacific Antibody Corp", "upsell", 640000, "USD"), msgs=[
        M("emily", ["me"], "09-14 17:00", reply=True, c=[C("a14", "me", "send a proposal for continuous processing", "2026-09-21")], body=(
            "Hello Katrin,\n\nWe'd like to upgrade our programme to your continuous processing platform. We've "
            "earmarked $640,000. Could you send a proposal? Our VP wants to review it next Monday.")),
    ]),
    T("genevax", "Genevax", "customer", "important", opp=O("Genevax SA", "new", None, ""), msgs=[
        M("olivier", ["me"], "09-14 19:30", reply=True, body=(
            "Katrin, we met at Swiss Biotech Day. We are looking for a CDMO for our mRNA candidate. Could we meet "
            "in Geneva?")),
    ]),
    T("keystone", "Keystone - renewal discussion", "customer", "important", opp=O("Keystone Biologics", "renewal", 2000000, "USD"), msgs=[
        M("tom_b", ["me"], "09-15 15:00", reply=True, body=(
            "Katrin,\n\nWe'd like to renew our $2M manufacturing agreement, but we need a 10% price reduction to "
            "match a competing bid. Can we discuss?")),
        M("me", ["tom_b"], "09-15 16:40", c=[C("a15", "me", "come back on the price reduction", "2026-09-18")], body=(
            "Tom, I understand. Let me review it with our CFO and I'll come back to you on Friday.")),
    ]),
    T("aurorabio", "Process characterisation - proposal request", "customer", "important", opp=O("Aurora Bio Oy", "new", 420000, "EUR"), msgs=[
        M("sanna", ["me"], "09-15 10:00", reply=True, c=[C("a16", "me", "send a proposal for process characterisation", "2026-09-29")], body=(
            "Dear Katrin,\n\nAurora Bio would like a proposal for process characterisation of AB-12, budget "
            "€420,000. Please send it by 29 September.")),
    ]),
    T("shefa", "Shefa Bio - second site", "customer", "important", opp=O("Shefa Bio", "expansion", 3100000, "USD"), msgs=[
        M("david", ["matthias"], "09-16 11:00", cc=["me"], body=(
            "Matthias,\n\nWe want to extend our agreement to a second product. Value around $3.1 million. Let's "
            "set up a call.")),
        M("matthias", ["david"], "09-16 12:00", cc=["me"], c=[C("a17", "matthias", "send times for a call", "2026-09-17")], body=(
            "David, great to hear. I'll send you some times tomorrow.")),
    ]),
    T("laguna", "Richiesta di offerta / request for offer", "customer", "important", opp=O("Laguna Pharma", "new", 520000, "EUR"), msgs=[
        M("laura", ["me"], "09-16 14:30", reply=True, c=[C("a18", "me", "send an offer for analytical method transfer", "2026-09-23")], body=(
            "Dear Dr. Vogel,\n\nLaguna Pharma requests an offer for analytical method transfer and release testing. "
            "Budget: 520.000 EUR. Kindly reply within one week.")),
    ]),
    T("gulf", "RFQ-7781 Biologics manufacturing partner", "customer", "important", opp=O("Gulf Biotech", "new", 5000000, "USD"), msgs=[
        M("amir", ["me"], "09-17 08:00", reply=True, c=[C("a19", "me", "submit the RFQ response", "2026-10-01")], body=(
            "Dear Sir/Madam,\n\nGulf Biotech invites your company to submit a response to RFQ-7781 for a "
            "biologics manufacturing partner. Estimated value USD 5,000,000. Submission deadline: 1 October 2026.")),
    ]),
    T("bodensee", "Erweiterung: zusätzliche Chargen / additional batches", "customer", "important", opp=O("Bodensee Bio", "expansion", 360000, "EUR"), msgs=[
        M("julia", ["felix"], "09-18 09:00", cc=["me"], body=(
            "Hallo Felix,\n\nwe need two additional batches in Q1, about EUR 360,000. Could you check the "
            "schedule?")),
        M("felix", ["julia"], "09-18 10:30", cc=["me"], c=[C("a20", "felix", "check the schedule for two extra batches", "2026-09-22")], body=(
            "Hi Julia, will do. I'll come back to you with dates by Tuesday.")),
    ]),
    T("celtic", "celtic health - renewal", "customer", "important", opp=O("Celtic Health", "renewal", 280000, "EUR"), msgs=[
        M("ryan", ["me"], "09-21 12:00", reply=True, body=(
            "Katrin, we're renewing the release-testing contract (€280k) for another year, same terms. Send over "
            "the renewal when you can.")),
        M("me", ["ryan"], "09-21 13:00", cc=["lea"], c=[C("a41", "lea", "send the renewal for Celtic Health", "2026-09-25")], body=(
            "Thanks Ryan! Lea will send the renewal by Friday.")),
    ]),
    T("lion", "Partnership inquiry - Lion City Bio", "customer", "important", opp=O("Lion City Bio", "new", 2000000, "SGD"), msgs=[
        M("mei", ["me"], "09-22 04:00", reply=True, c=[C("a21", "me", "share the capability deck and pricing", "2026-09-25")], body=(
            "Dear Katrin,\n\nLion City Bio is selecting a European CDMO for our bispecific programme, with a budget "
            "of S$2 million. Please share your capability deck and indicative pricing by this Friday.")),
    ]),
    T("helvetix-quality", "Audit findings follow-up", "customer", "normal", msgs=[
        M("tobias", ["samuel"], "09-10 09:00", cc=["me"], c=[C("a22", "samuel", "send the CAPA plan", "2026-09-30")], body=(
            "Dear Samuel,\n\nThank you for hosting our audit. Please send the CAPA plan for the two minor findings "
            "by 30 September.")),
        M("samuel", ["tobias"], "09-10 11:00", cc=["me"], also=["a22"], body=(
            "Dear Tobias,\n\nThank you. We will send the CAPA plan by 30 September.")),
    ]),
    T("corvalis-deviation", "Batch 24-031 deviation - escalation", "customer", "urgent", msgs=[
        M("rebecca", ["me"], "09-23 07:45", reply=True, c=[C("a23", "me", "call about the batch deviation", "2026-09-23")], body=(
            "Katrin,\n\nI've just learned that batch 24-031 has a deviation that puts our clinical supply at risk. "
            "This is escalating to our CEO. I need a call with you today.")),
    ]),
    # -- team ----------------------------------------------------------------------------------------------
    T("budget", "Budget 2027 - first draft", "team", "important", msgs=[
        M("me", ["lea"], "09-01 17:00", c=[C("a24", "lea", "send the first draft of the 2027 budget", "2026-09-14")], body=(
            "Lea,\n\nThe board meeting is on 29 September. Please send me the first draft of the 2027 budget by "
            "Monday 14 September.")),
        M("lea", ["me"], "09-01 17:30", also=["a24"], body=("Noted, you'll have it by the 14th.")),
    ]),
    T("capex", "Approval: new bioreactor (capex)", "team", "important", msgs=[
        M("nina", ["me"], "09-02 15:00", reply=True, c=[C("a25", "me", "sign the capex request for the bioreactor", "2026-09-04")], body=(
            "Katrin, we need your signature on the capex request for the 2,000 L bioreactor (CHF 2.4 million). "
            "The supplier holds the delivery slot only until Friday, so please sign before then.")),
    ]),
    T("qa-leaving", "Personal - Samuel", "team", "urgent", msgs=[
        M("chiara", ["me"], "09-03 16:30", reply=True, body=(
            "Katrin, in confidence: Samuel told me he is burned out and is considering resigning before the "
            "Swissmedic inspection. I think you should speak with him today.")),
        M("me", ["chiara"], "09-03 16:50", c=[C("a26", "me", "speak with Samuel", "2026-09-03")], body=(
            "Thank you for telling me, Chiara. I will speak with him this afternoon.")),
    ]),
    T("inspection", "Swissmedic inspection - preparation", "team", "important", msgs=[
        M("chiara", ["me", "samuel", "nina"], "09-07 09:00", c=[C("a27", "chiara", "circulate the inspection readiness checklist", "2026-09-09")], body=(
            "Dear all,\n\nThe Swissmedic inspection is confirmed for 12-14 October. I will circulate the readiness "
            "checklist by Wednesday.")),
    ]),
    T("pipeline", "BD pipeline review", "team", "normal", msgs=[
        M("me", ["matthias"], "09-08 08:00", c=[C("a28", "matthias", "send the updated BD pipeline", "2026-09-10")], body=(
            "Matthias, could you send me the updated BD pipeline before our Thursday one-to-one?")),
        M("matthias", ["me"], "09-08 08:20", also=["a28"], body=("Sure, I'll send it before Thursday.")),
    ]),
    T("hiring", "QC analyst hiring", "team", "normal", msgs=[
        M("samuel", ["me"], "09-09 13:00", reply=True, body=(
            "Hi Katrin,\n\nWe have two good QC analyst candidates. Would you like to meet the finalist, or shall I "
            "go ahead with the offer?")),
    ]),
    T("site-visit", "Site visit Thursday", "team", "normal", msgs=[
        M("felix", ["me", "nina", "matthias"], "09-14 10:00", c=[C("a39", "felix", "book the meeting room and lunch", None)], body=(
            "Hi all, reminder that Bluecrest visits on Thursday at 9:00. I'll book the meeting room and lunch.")),
    ]),
    T("insurance", "Product liability insurance - decision today", "team", "urgent", msgs=[
        M("lea", ["me"], "09-24 09:15", reply=True, c=[C("a29", "me", "decide on the insurance cover", "2026-09-24")], body=(
            "Katrin,\n\nThe insurer needs our decision on the product liability cover (CHF 8 million vs 15 million "
            "limit) by 4 pm today, otherwise the quote lapses. Which option do you prefer?")),
    ]),
    T("monthly", "Monthly QA report - August", "team", "low", msgs=[
        M("samuel", ["me"], "09-04 16:00", body=(
            "FYI, the August QA report is on the share drive. No deviations above minor. No action needed.")),
    ]),
    T("townhall", "Town hall slides", "team", "normal", msgs=[
        M("me", ["felix"], "09-21 09:00", c=[C("a30", "felix", "prepare the town hall slides", "2026-09-24")], body=(
            "Felix, please prepare the town hall slides on the Q3 highlights by Thursday.")),
        M("felix", ["me"], "09-21 09:30", also=["a30"], body=("Will do!")),
    ]),
    # -- board and investors --------------------------------------------------------------------------------
    T("chairman", "Board meeting 29 September", "board", "important", msgs=[
        M("hans", ["me"], "09-02 07:30", reply=True, c=[C("a31", "me", "send the board papers", "2026-09-22")], body=(
            "Dear Katrin,\n\nFor the board meeting on 29 September, please send the papers one week in advance, "
            "by 22 September. I would also like to discuss the capacity expansion in detail.")),
        M("me", ["hans"], "09-02 08:45", also=["a31"], body=(
            "Dear Hans,\n\nOf course. The papers will be with you by 22 September.")),
    ]),
    T("fund", "Follow-on investment - data request", "investor", "important", msgs=[
        M("sarah", ["me"], "09-10 10:00", reply=True, c=[C("a32", "me", "send the data room update", "2026-09-17")], body=(
            "Hi Katrin,\n\nOur investment committee will consider the follow-on round in October. Could you send "
            "the updated data room (order book, cash runway, capacity plan) by next Thursday?")),
    ]),
    T("fund-2", "Intro to a potential customer", "investor", "important", msgs=[
        M("sarah", ["me"], "09-18 15:00", c=[C("a38", "sarah", "introduce the CEO of a portfolio company", "2026-09-25")], body=(
            "Katrin, I'll introduce you to the CEO of one of our portfolio companies next week; they are looking for "
            "a CDMO.")),
    ]),
    # -- vendors -------------------------------------------------------------------------------------------
    T("bioflux", "Price increase 2027 - single-use bags", "vendor", "normal", msgs=[
        M("bioflux", ["me"], "09-03 11:00", c=[C("a37", "bioflux", "send the new price list", "2026-09-30")], body=(
            "Dear Dr. Vogel,\n\nPlease note that prices for single-use bioprocess bags will increase by 6% from 1 "
            "January 2027. Your annual volume of EUR 410,000 would increase accordingly. We will send the new price "
            "list by the end of September.")),
    ], ),
    T("coldchain", "Shipment to Osaka - delay", "vendor", "normal", msgs=[
        M("coldchain", ["felix"], "09-16 09:00", cc=["me"], c=[C("a33", "coldchain", "deliver the shipment to Osaka", "2026-09-21")], body=(
            "Dear Felix,\n\nThe shipment to Osaka is delayed by customs. We will deliver it by Monday 21 September "
            "at the latest.")),
    ]),
    T("legal", "Corvalis MSA - redlines", "vendor", "important", msgs=[
        M("lawyer", ["me"], "09-17 14:00", reply=True, c=[C("a34", "me", "approve the MSA redlines", "2026-09-21")], body=(
            "Dear Katrin,\n\nAttached are our redlines to the Corvalis master services agreement. Could you approve "
            "them by Monday so we can send them to Corvalis?")),
    ]),
    # -- recruiting ----------------------------------------------------------------------------------------
    T("headhunt", "COO search - candidates", "recruiting", "normal", msgs=[
        M("headhunter", ["me"], "09-11 10:00", reply=True, body=(
            "Dear Katrin,\n\nI have identified four candidates for the COO role. Are you available for a briefing "
            "call next week?")),
    ]),
    # -- personal ------------------------------------------------------------------------------------------
    T("home", "Elternabend", "personal", "normal", msgs=[
        M("husband", ["me"], "09-07 12:00", reply=True, c=[C("a35", "me", "confirm whether you can attend the parents' evening", "2026-09-09")], body=(
            "Schatz, can you tell me by Wednesday if you can make the parents' evening on the 15th? Otherwise I "
            "go alone.")),
    ]),
    T("sister", "Mum's birthday", "personal", "normal", msgs=[
        M("sister", ["me"], "09-12 19:00", reply=True, body=(
            "Hi Kati! Shall we get Mum the spa voucher together for her birthday? Let me know what you think.")),
        M("me", ["sister"], "09-12 21:00", c=[C("a36", "me", "book the spa voucher", "2026-09-13")], body=(
            "Great idea. I'll book the voucher tomorrow.")),
    ]),
    # -- newsletters and notifications ------------------------------------------------------------------------
    T("nl-1", "BioProcess Insider: CDMO capacity crunch", "newsletter", "low", kind="newsletter", msgs=[
        M("biopharmadive", ["me"], "09-02 06:00", body=(
            "Top stories: CDMO capacity crunch deepens; single-use adoption hits record. Read more. Manage your "
            "preferences or unsubscribe.")),
    ]),
    T("nl-2", "BioProcess Insider: deal roundup", "newsletter", "low", kind="newsletter", msgs=[
        M("biopharmadive", ["me"], "09-16 06:00", body=(
            "Deal roundup: a $240m manufacturing agreement in Boston, CHF 1.1 billion plant expansion in Visp. Read "
            "more. Unsubscribe.")),
    ]),
    T("nl-3", "Swiss Biotech Association - September newsletter", "newsletter", "low", kind="newsletter", msgs=[
        M("swissbio", ["me"], "09-09 07:00", body=(
            "Register now for Swiss Biotech Day. Members' news, policy updates and events. View in browser.")),
    ]),
    T("lims-1", "Sample results ready: LOT 24-029", "newsletter", "low", kind="notification", msgs=[
        M("lims", ["me"], "09-08 23:00", body=(
            "Results for LOT 24-029 have been approved and are ready for review in LabTrack.")),
    ]),
    T("lims-2", "Out of specification alert acknowledged", "newsletter", "low", kind="notification", msgs=[
        M("lims", ["me"], "09-19 02:00", body=(
            "The OOS alert for sample S-88213 has been acknowledged by Samuel Ochieng.")),
    ]),
    T("bank-1", "Payment executed", "newsletter", "low", kind="notification", msgs=[
        M("bank", ["me"], "09-25 08:00", body=(
            "Your payment of CHF 48,250.00 to Bioflux Supplies GmbH has been executed.")),
    ]),
    T("travel", "Your booking confirmation LX 160", "newsletter", "low", kind="notification", msgs=[
        M("travel", ["me"], "09-20 10:00", body=(
            "Thank you for booking with SWISS. Flight LX 160 Zurich - Tokyo on 5 October, seat 3A.")),
    ]),
]
