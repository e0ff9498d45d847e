"""The 25 items of the IPS Supported Employment Fidelity Scale, with short anchors in our own words.

Sections: staffing (S1–S3), organisation (O1–O8), services (V1–V14). ``computed`` items are
prefilled from the records (scoring.py); ``evidence`` items show evidence.py beside the reviewer's
score; ``checklist`` lists the elements a reviewer ticks. Where the scale scores an item by how
many of its elements are present, ``element_scores`` maps that count to the suggested score.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseload.l10n import lazy_gettext as _l

SECTIONS = (("staffing", _l("Staffing")), ("organisation", _l("Organisation")),
            ("services", _l("Services")))  # fmt: skip
FIVE_ELEMENTS = (1, 1, 2, 3, 4, 5)  # 0–1 present → 1, 2 → 2, ... 5 → 5


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """One IPS-25 item: what it asks, how its points read, and what the app gives the reviewer."""

    key: str
    section: str
    name: object  # a lazy translated string
    anchors: tuple[object, object, object, object, object]  # score 5, 4, 3, 2, 1
    computed: bool = False
    evidence: bool = False
    checklist: tuple[object, ...] = ()
    element_scores: tuple[int, ...] = ()  # index = elements ticked

    def suggested_score(self, ticked: int) -> int | None:
        """The score the checklist suggests for this many elements ticked, if the scale says."""
        if not self.element_scores:
            return None
        return self.element_scores[max(0, min(ticked, len(self.element_scores) - 1))]


def _item(key: str, section: str, name: object, *anchors: object, **kw: object) -> CatalogueItem:
    return CatalogueItem(key, section, name, anchors, **kw)  # type: ignore[arg-type]


# The scale's text, laid out by hand as a table: one item per block, anchors 5 → 1, then extras.
# fmt: off
STAFFING = (
    _item("S1", "staffing", _l("Caseload size"),
          _l("20 or fewer clients per full-time specialist"), _l("21–25 clients"),
          _l("26–30 clients"), _l("31–40 clients"), _l("41 clients or more"),
          computed=True),
    _item("S2", "staffing", _l("Employment services staff"),
          _l("Specialists spend 96 % or more of their time on employment work"),
          _l("90–95 %"), _l("75–89 %"), _l("60–74 %"), _l("Under 60 %"),
          checklist=(
              _l("No case-management or therapy duties"),
              _l("No residential, day-programme or prevocational duties"),
              _l("Time records show employment activities only"))),
    _item("S3", "staffing", _l("Vocational generalists"),
          _l("Each specialist carries out all six phases of the service"),
          _l("Five of the six phases"), _l("One to four phases"),
          _l("Keeps a caseload but refers clients elsewhere for the vocational work"),
          _l("Only refers clients to other services"),
          checklist=(
              _l("Intake"), _l("Engagement"), _l("Assessment"),
              _l("Job placement and job development"), _l("Job coaching"),
              _l("Follow-along support")),
          element_scores=(1, 3, 3, 3, 3, 4, 5)),
)

ORGANISATION = (
    _item("O1", "organisation", _l("Integration with treatment through team assignment"),
          _l("Each specialist is attached to one or two treatment teams that supply 90 % or "
             "more of the caseload"),
          _l("Those teams supply 75–89 %"), _l("They supply 50–74 %"),
          _l("Three or more teams, no team, or under 50 % of the caseload"),
          _l("Specialists work in a separate vocational service"),
          computed=True),
    _item("O2", "organisation", _l("Integration through frequent team-member contact"),
          _l("All five elements"), _l("Four elements"), _l("Three elements"),
          _l("Two elements"), _l("One element or none"),
          evidence=True,
          checklist=(
              _l("Specialists attend the team's meetings weekly"),
              _l("Specialists take an active part in the team's decisions"),
              _l("Employment records sit in the client's clinical record"),
              _l("Specialists' offices are near or shared with the team"),
              _l("Specialists help the team think about work for people not yet referred")),
          element_scores=FIVE_ELEMENTS),
    _item("O3", "organisation", _l("Collaboration with NAV / vocational rehabilitation"),
          _l("Scheduled face-to-face meetings at least monthly and client-related contacts "
             "at least weekly"),
          _l("One of the two at that rate, the other less often"),
          _l("Meetings at least quarterly or contacts at least monthly"),
          _l("Contacts at least quarterly"), _l("Contacts less than quarterly, or none"),
          evidence=True,
          checklist=(
              _l("Scheduled face-to-face meetings at least monthly"),
              _l("Client-related contacts at least weekly"),
              _l("Referrals are discussed together"))),
    _item("O4", "organisation", _l("Vocational unit"),
          _l("At least two full-time specialists and a leader meet weekly for client-based "
             "group supervision, share job leads and cover each other's caseloads"),
          _l("The unit meets and covers caseloads, but not everything above"),
          _l("Specialists discuss cases together but do not cover for each other"),
          _l("Same supervisor, but no group meetings"), _l("Specialists are not a unit"),
          evidence=True,
          checklist=(
              _l("At least two full-time specialists and a team leader"),
              _l("Weekly client-based group supervision"),
              _l("Job leads are shared"),
              _l("Specialists cover each other's caseloads"))),
    _item("O5", "organisation", _l("Role of the employment supervisor"),
          _l("All five duties"), _l("Four duties"), _l("Three duties"), _l("Two duties"),
          _l("One duty or none"),
          evidence=True,
          checklist=(
              _l("One full-time supervisor for up to ten specialists, no other supervision"),
              _l("Weekly client-based group supervision"),
              _l("Talks with team leaders and attends each team's meeting at least quarterly"),
              _l("Monthly field mentoring for new or struggling specialists"),
              _l("Reviews outcomes with specialists and sets goals at least quarterly")),
          element_scores=FIVE_ELEMENTS),
    _item("O6", "organisation", _l("Zero exclusion criteria"),
          _l("Everyone who wants work gets the service; referrals come from many sources"),
          _l("No exclusion seen, but referrals are not sought widely"),
          _l("Some people are kept out for not being ready"),
          _l("Most people are kept out for not being ready"), _l("A formal exclusion policy"),
          evidence=True,
          checklist=(
              _l("No screening for job readiness"),
              _l("Access stays open after a job loss, whatever the reason"),
              _l("Referrals are sought from many sources"))),
    _item("O7", "organisation", _l("Agency focus on competitive employment"),
          _l("All five strategies"), _l("Four strategies"), _l("Three strategies"),
          _l("Two strategies"), _l("One strategy or none"),
          checklist=(
              _l("Intake asks about interest in work"),
              _l("Regular assessments and treatment plans ask about work"),
              _l("Written material about work and IPS is on display"),
              _l("Clients share their work stories at least twice a year"),
              _l("The agency measures the employment rate at least quarterly and shares it")),
          element_scores=FIVE_ELEMENTS),
    _item("O8", "organisation", _l("Executive team support"),
          _l("All five elements"), _l("Four elements"), _l("Three elements"),
          _l("Two elements"), _l("One element or none"),
          checklist=(
              _l("Executives know the IPS principles"),
              _l("Quality assurance uses the fidelity scale regularly and acts on it"),
              _l("An executive attends IPS steering meetings that produce action plans"),
              _l("Executives tell all staff about the IPS goals"),
              _l("The IPS leader reports barriers and successes to executives twice a year")),
          element_scores=FIVE_ELEMENTS),
)

SERVICES = (
    _item("V1", "services", _l("Work incentives planning"),
          _l("Every client is offered planning by a trained benefits planner before a new job "
             "and when hours or pay change"),
          _l("A trained person offers it before job start"),
          _l("Specialists discuss benefit changes themselves"),
          _l("Specialists refer clients to other professionals"),
          _l("Planning is not readily available"),
          evidence=True,
          checklist=(
              _l("Offered before every new job"), _l("Offered at changes in hours or pay"),
              _l("Given by a trained planner"), _l("Help with reporting earnings"))),
    _item("V2", "services", _l("Disclosure"),
          _l("All four elements"), _l("Three elements"), _l("Two elements"),
          _l("One element"), _l("None"),
          evidence=True,
          checklist=(
              _l("Disclosure is never a condition for the service"),
              _l("Pros and cons are discussed before disclosing"),
              _l("What to say is prepared with examples"),
              _l("Disclosure is discussed more than once")),
          element_scores=(1, 2, 3, 4, 5)),
    _item("V3", "services", _l("Ongoing, work-based vocational assessment"),
          _l("A career profile built over a few sessions from several sources and updated "
             "with every job"),
          _l("A short assessment and lessons learned, but the profile is not kept up to date"),
          _l("Search starts without a systematic look at interests or past job endings"),
          _l("Stepwise preparation such as prevocational or volunteer work"),
          _l("Office-based testing before placement"),
          evidence=True,
          checklist=(
              _l("Profile started in the first weeks"), _l("Several sources consulted"),
              _l("Updated after each job start and job end"))),
    _item("V4", "services", _l("Rapid job search for competitive jobs"),
          _l("First face-to-face employer contact within 30 days of entry on average"),
          _l("31–60 days"), _l("61–150 days"), _l("151–270 days"), _l("More than 270 days"),
          computed=True),
    _item("V5", "services", _l("Individualized job search"),
          _l("90 % or more of employer contacts fit the client's preferences"),
          _l("75–89 %"), _l("50–74 %"), _l("25–49 %"), _l("Under 25 %"),
          evidence=True,
          checklist=(
              _l("Employer contacts follow the client's preferences and needs"),
              _l("Most clients have a written job search plan"),
              _l("Plans are updated from the career profile"))),
    _item("V6", "services", _l("Job development: frequent employer contact"),
          _l("Six or more face-to-face employer contacts a week per specialist, log reviewed "
             "weekly"),
          _l("Five a week, log reviewed weekly"), _l("Four a week, log reviewed monthly"),
          _l("Two a week, or no working tracking of the contacts"), _l("Fewer than two a week"),
          computed=True),
    _item("V7", "services", _l("Job development: quality of employer contact"),
          _l("Repeated planned visits to learn the employer's needs, present the service and "
             "match a client's strengths"),
          _l("Meets employers in person, with or without openings, and advocates for clients"),
          _l("Follows advertised openings and asks employers to interview clients"),
          _l("Asks about openings and passes leads to clients"),
          _l("Rarely meets employers"),
          checklist=(
              _l("Several planned visits to the same employer"),
              _l("Learns about the employer's business and needs"),
              _l("Explains what the service offers the employer"),
              _l("Describes a client's strengths that match"))),
    _item("V8", "services", _l("Diversity of job types"),
          _l("85 % or more of jobs are of different types"),
          _l("70–84 %"), _l("60–69 %"), _l("50–59 %"), _l("Under 50 %"),
          computed=True),
    _item("V9", "services", _l("Diversity of employers"),
          _l("85 % or more of jobs are with different employers"),
          _l("70–84 %"), _l("60–69 %"), _l("50–59 %"), _l("Under 50 %"),
          computed=True),
    _item("V10", "services", _l("Competitive jobs"),
          _l("95 % or more of jobs held are competitive"),
          _l("85–94 %"), _l("75–84 %"), _l("64–74 %"),
          _l("Under 64 %, or fewer than ten jobs held"),
          computed=True),
    _item("V11", "services", _l("Individualized follow-along supports"),
          _l("Varied supports fitted to each job and person, and career development offered"),
          _l("Varied supports, but no career development"),
          _l("Most working clients get a narrow range of support, mostly from the specialist"),
          _l("About half get a narrow range of support"),
          _l("Most clients get no support after starting work"),
          checklist=(
              _l("Support from the treatment team"), _l("Support from family and friends"),
              _l("Natural supports at work"), _l("Employer support on request"),
              _l("Career development offered"))),
    _item("V12", "services", _l("Time-unlimited follow-along supports"),
          _l("Face-to-face contact in the week before a start, within three days after, weekly "
             "in month one, then monthly for a year; contact within three days of a job loss"),
          _l("Weekly in month one and monthly for a year, but not the other contacts"),
          _l("Half or more of working clients are seen for at least four months"),
          _l("Fewer than half are seen for four months"),
          _l("No face-to-face contact after the first month"),
          evidence=True,
          checklist=(
              _l("Contact in the week before the start"),
              _l("Contact within three days of the start"),
              _l("Weekly contact in the first month"),
              _l("Monthly contact for at least a year"),
              _l("Contact within three days of a job loss"))),
    _item("V13", "services", _l("Community-based services"),
          _l("65 % or more of specialists' time is spent in the community"),
          _l("50–64 %"), _l("40–49 %"), _l("31–39 %"), _l("30 % or less"),
          computed=True),
    _item("V14", "services", _l("Assertive engagement and outreach"),
          _l("All six strategies"), _l("Five strategies"), _l("Four strategies"),
          _l("Three strategies"), _l("Two strategies or fewer"),
          evidence=True,
          checklist=(
              _l("No closing for missed appointments or after a fixed time"),
              _l("Outreach attempts are recorded"),
              _l("Outreach by members of the treatment team"),
              _l("Several home or community visits"),
              _l("Visits coordinated with a team member"),
              _l("Contact with family where it fits")),
          element_scores=(1, 1, 1, 2, 3, 4, 5)),
)
# fmt: on

ITEMS = STAFFING + ORGANISATION + SERVICES
BY_KEY = {item.key: item for item in ITEMS}
ITEM_KEYS = tuple(BY_KEY)
EVIDENCE_KEYS = ("V12", "V1", "V2", "V3", "V5", "O6", "V14")


def section_items(section: str) -> tuple[CatalogueItem, ...]:
    """The items of one section, in scale order."""
    return tuple(item for item in ITEMS if item.section == section)
