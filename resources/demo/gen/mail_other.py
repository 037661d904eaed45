"""Newsletters, automated notifications, press, events and personal mail."""

from __future__ import annotations

from .dsl import M, T

_NEWS = {
    "robotreport": ("The Robot Report Weekly", [
        ("11-06 06:00", "Warehouse AMR shipments up 24% in Q3",
         "AMR shipments grew 24% in Q3 as 3PLs expanded automation. Also: a teardown of three new lidar "
         "units, and why cold-chain DCs are the next frontier for mobile robots."),
        ("11-13 06:00", "Humanoids vs. AMRs: what buyers actually deploy",
         "Buyers keep deploying wheeled AMRs for picking while humanoid pilots stay small. Plus: funding "
         "roundup and ProMat 2027 call for speakers."),
        ("11-20 06:00", "Safety standards: UL 3100 audits rising",
         "More warehouses require UL 3100 certification. We list what auditors ask for and how long it "
         "takes."),
        ("11-25 06:00", "Fleet software is the new battleground",
         "Hardware margins are shrinking; vendors with analytics add-ons command premium renewals."),
    ]),
    "saasdigest": ("SaaS Metrics Digest", [
        ("11-08 07:00", "Net revenue retention benchmarks for 2026",
         "Median NRR for B2B SaaS fell to 104%. Hardware-enabled subscription companies report 110-120%."),
        ("11-15 07:00", "How to price multi-year deals",
         "Discount stacking is the most common pricing mistake in multi-year deals. Cap combined discounts."),
        ("11-22 07:00", "Board decks that boards actually read",
         "Five slides every board wants: bookings, retention, burn, hiring, and the one thing keeping you up "
         "at night."),
    ]),
    "scdive": ("Supply Chain Brief", [
        ("11-09 05:30", "Peak season staffing shortfalls hit 3PLs",
         "3PLs report 15% staffing shortfalls this peak season, accelerating automation budgets for 2027."),
        ("11-16 05:30", "Pharma cold chain invests in automation",
         "Pharma distributors are piloting robots in 2-8°C zones; validation remains the bottleneck."),
        ("11-23 05:30", "Lidar supply tightens again",
         "Lead times for industrial lidar stretched to 10-12 weeks as automotive demand returns."),
    ]),
}

_NOTIFY = [
    ("connectly", "11-10 12:00", "Priya Raman endorsed you for Robotics", "Priya Raman endorsed you for Robotics."),
    ("connectly", "11-15 12:00", "You appeared in 48 searches this week", "You appeared in 48 searches this week."),
    ("connectly", "11-19 12:00", "Carla Benton wants to connect", "Carla Benton (SVP Operations, Atlas Home Goods) wants to connect."),
    ("connectly", "11-24 12:00", "5 people viewed your profile", "5 people viewed your profile, including a recruiter."),
    ("codeharbor", "11-18 02:14", "[fleet-os] Build failed: main #4812",
     "Build #4812 on main failed: test_localization_low_light (3 failures). Triggered by kenji."),
    ("codeharbor", "11-22 01:03", "[fleet-os] Build fixed: main #4861", "Build #4861 on main passed. 1,204 tests, 0 failures."),
    ("codeharbor", "11-24 22:40", "[fleet-os] Release v4.2.1-rc1 published", "Release candidate v4.2.1-rc1 was published by kenji."),
    ("peoplehub", "11-16 08:00", "Action needed: approve 3 time-off requests",
     "You have 3 pending time-off requests to approve: Kenji Watanabe, Sofia Rossi, Luis Ortega."),
    ("peoplehub", "11-20 08:00", "Expense report waiting for approval",
     "Marcus Chen submitted an expense report ($1,284.50, Tacoma site visit) for your approval."),
    ("connectly", "11-22 12:00", "Victoria Hale shared a post", "Victoria Hale shared: 'Robots that pay for themselves'."),
    ("peoplehub", "11-23 08:00", "Reminder: performance reviews close Dec 11",
     "Performance reviews for your direct reports close on December 11."),
    ("skyways", "11-19 16:00", "Your trip to Memphis: confirmation SKY7Q2",
     "Seattle (SEA) to Memphis (MEM), Wednesday December 9, departs 7:05am. Return Thursday December 10, "
     "6:40pm. Confirmation SKY7Q2."),
    ("dentist", "11-18 09:00", "Appointment reminder: Dec 1 at 8:00am",
     "This is a reminder of your cleaning appointment on Tuesday, December 1 at 8:00am. Reply C to confirm."),
]


def _newsletters() -> list[T]:
    out = []
    for sender, (_, issues) in _NEWS.items():
        for n, (at, title, text) in enumerate(issues, start=1):
            out.append(T(f"news-{sender}-{n}", title, "newsletter", "low", kind="newsletter", msgs=[
                M(sender, ["dana"], at, text, fmt="html", quote=False, signoff=""),
            ]))
    return out


def _notifications() -> list[T]:
    out = []
    for n, (sender, at, subject, text) in enumerate(_NOTIFY, start=1):
        category = "personal" if sender == "dentist" else "newsletter"
        out.append(T(f"notify-{sender}-{n}", subject, category, "low", kind="notification", msgs=[
            M(sender, ["dana"], at, text, quote=False, signoff="", fmt="html" if sender == "skyways" else ""),
        ]))
    return out


THREADS = _newsletters() + _notifications() + [
    T("family-dinner", "Saturday + Sam's play", "personal", "normal", msgs=[
        M("alex", ["dana"], "11-19 19:30", quote=False, reply=True, mobile=True, body=(
            "Dinner Saturday with the Nguyens at 7? Also Sam's school play is Thursday Dec 3 at 6pm. Can you "
            "make it? I know it's your board day.")),
        M("dana", ["alex"], "11-19 20:10", body=(
            "Yes to both! The board ends at 3, I'll be there by 5:30. Love you."), signoff=""),
        M("alex", ["dana"], "11-19 20:15", prio="low", mobile=True, body=("Perfect ❤️"), signoff=""),
    ]),
    T("sam-form", "field trip form!!", "personal", "normal", msgs=[
        M("sam", ["dana"], "11-23 16:00", quote=False, reply=True, body=(
            "hi mom can you sign the aquarium field trip form tonight? it's due tomorrow. its on the counter"),
          signoff=""),
        M("dana", ["sam"], "11-23 18:30", body=("Signed and in your backpack. Have fun!"), signoff=""),
    ]),
    T("thanksgiving", "Thanksgiving plans", "personal", "low", msgs=[
        M("alex", ["dana"], "11-21 09:00", quote=False, body=(
            "My parents land Wednesday at 4:30. I'll pick them up. Please try not to work on Thursday :)"),
          mobile=True, signoff=""),
        M("dana", ["alex"], "11-21 09:30", body=("Promise. Laptop stays closed Thursday."), signoff=""),
    ]),
]
