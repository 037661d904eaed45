"""Everyone in the demo: Northwind staff (the roster) and outside contacts, keyed by a short id."""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "northwind-robotics.example"


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    email: str
    role: str = ""
    org: str = "Northwind Robotics"
    team: str = ""
    reports_to: str = ""  # person key
    signature: str = ""  # extra signature lines under the name


def _staff(key: str, name: str, role: str, team: str, reports_to: str) -> Person:
    local = name.split()[0].lower()
    return Person(key, name, f"{local}@{DOMAIN}", role, "Northwind Robotics", team, reports_to,
                  f"{role} | Northwind Robotics")


STAFF = [
    _staff("dana", "Dana Whitfield", "Chief Executive Officer", "Executive", ""),
    # Sales
    _staff("priya", "Priya Raman", "VP Sales", "Sales", "dana"),
    _staff("jordan", "Jordan Blake", "Account Executive", "Sales", "priya"),
    _staff("aisha", "Aisha Patel", "Account Executive", "Sales", "priya"),
    _staff("ben", "Ben Carter", "Sales Engineer", "Sales", "priya"),
    # Engineering
    _staff("marcus", "Marcus Chen", "VP Engineering", "Engineering", "dana"),
    _staff("lena", "Lena Novak", "Staff Robotics Engineer", "Engineering", "marcus"),
    _staff("raj", "Raj Mehta", "Engineering Manager, Fleet Software", "Engineering", "marcus"),
    _staff("sofia", "Sofia Rossi", "QA Lead", "Engineering", "marcus"),
    _staff("kenji", "Kenji Watanabe", "Firmware Engineer", "Engineering", "raj"),
    # Customer Success
    _staff("tom", "Tom Okafor", "VP Customer Success", "Customer Success", "dana"),
    _staff("grace", "Grace Kim", "Customer Success Manager", "Customer Success", "tom"),
    _staff("luis", "Luis Ortega", "Field Support Engineer", "Customer Success", "tom"),
    _staff("mia", "Mia Johnson", "Customer Success Manager", "Customer Success", "tom"),
    # Finance & Operations
    _staff("elena", "Elena Vasquez", "Chief Financial Officer", "Finance & Operations", "dana"),
    _staff("noah", "Noah Fischer", "Controller", "Finance & Operations", "elena"),
    _staff("hannah", "Hannah Lee", "Head of People", "Finance & Operations", "elena"),
    _staff("claire", "Claire Dubois", "Executive Assistant to the CEO", "Finance & Operations", "dana"),
]

EXTERNAL = [
    # Customers
    Person("mark", "Mark Delaney", "mark.delaney@harborview-logistics.example", "VP Operations",
           "Harborview Logistics", signature="VP Operations | Harborview Logistics\n(253) 555-0142"),
    Person("julia", "Julia Moreno", "julia.moreno@cascadefoods.example", "Director of Supply Chain",
           "Cascade Foods", signature="Director of Supply Chain\nCascade Foods, Inc."),
    Person("robert", "Robert Haines", "robert.haines@pinecrest-medical.example", "Chief Operating Officer",
           "Pinecrest Medical Supply", signature="COO, Pinecrest Medical Supply"),
    Person("wei", "Wei Zhang", "wei.zhang@atlashome.example", "Head of Fulfillment", "Atlas Home Goods",
           signature="Head of Fulfillment | Atlas Home Goods"),
    Person("sarah", "Sarah Goldberg", "sarah.goldberg@meridianpharma.example", "VP Logistics",
           "Meridian Pharma Distribution", signature="VP Logistics\nMeridian Pharma Distribution"),
    Person("derek", "Derek Lindqvist", "derek.lindqvist@summitoutdoor.example", "Director of Distribution",
           "Summit Outdoor Supply", signature="Director of Distribution, Summit Outdoor Supply"),
    # Board and investors
    Person("victoria", "Victoria Hale", "victoria@granitepeak.example", "General Partner",
           "Granite Peak Ventures", signature="General Partner | Granite Peak Ventures"),
    Person("david", "David Osei", "david@oseiadvisory.example", "Independent Director", "Osei Advisory",
           signature="Osei Advisory"),
    Person("kevin", "Kevin Marsh", "kevin.marsh@beaconcap.example", "Partner", "Beacon Capital",
           signature="Partner, Beacon Capital"),
    Person("rebecca", "Rebecca Stone", "rebecca@lakeshorecap.example", "Partner", "Lakeshore Capital",
           signature="Partner | Lakeshore Capital"),
    # Vendors
    Person("kestrel", "Kestrel Sensors Billing", "billing@kestrelsensors.example", "Accounts Receivable",
           "Kestrel Sensors"),
    Person("paula", "Paula Grant", "paula.grant@kestrelsensors.example", "Account Manager", "Kestrel Sensors",
           signature="Account Manager | Kestrel Sensors"),
    Person("muller", "Jürgen Müller", "j.mueller@mueller-antriebe.example", "Vertrieb / Key Account",
           "Müller Antriebstechnik GmbH", signature="Müller Antriebstechnik GmbH\nKey Account Management\nStuttgart"),
    Person("nimbus", "CloudNimbus Billing", "invoices@cloudnimbus.example", "", "CloudNimbus"),
    Person("brightline", "Brightline Legal LLP", "accounts@brightlinelegal.example", "", "Brightline Legal LLP"),
    # Recruiting
    Person("nina", "Nina Alvarez", "nina@talentforge.example", "Partner", "TalentForge Executive Search",
           signature="Partner | TalentForge Executive Search"),
    Person("omar", "Omar Haddad", "omar.haddad@mailbox.example", "Candidate, VP Marketing", ""),
    # Personal
    Person("alex", "Alex Whitfield", "alex.whitfield@fastmail.example", "", ""),
    Person("sam", "Sam Whitfield", "sam.w@fastmail.example", "", ""),
    Person("dentist", "Lakeview Dental", "reminders@lakeviewdental.example", "", "Lakeview Dental"),
    # Automated senders
    Person("robotreport", "The Robot Report Weekly", "newsletter@robotreport-weekly.example", "", "Robot Report"),
    Person("saasdigest", "SaaS Metrics Digest", "digest@saasmetrics.example", "", "SaaS Metrics"),
    Person("scdive", "Supply Chain Brief", "brief@supplychainbrief.example", "", "Supply Chain Brief"),
    Person("connectly", "Connectly", "notifications@connectly.example", "", "Connectly"),
    Person("codeharbor", "CodeHarbor CI", "ci@codeharbor.example", "", "CodeHarbor"),
    Person("skyways", "Skyways Airlines", "itinerary@skyways.example", "", "Skyways"),
    Person("peoplehub", "PeopleHub", "no-reply@peoplehub.example", "", "PeopleHub"),
]

PEOPLE = {p.key: p for p in STAFF + EXTERNAL}
STAFF_KEYS = {p.key for p in STAFF}
