"""Every prompt rule in one browser session: from the prompt, one click opens the form that satisfies
it, pre-filled; saving in time closes the prompt; a late save leaves it open with "Done late", and
that one click dismisses it with the late record as the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from caseload.forms import today
from caseload.prompts.models import DONE_LATE, Prompt
from caseload.prompts.sweep import prompts_sweep
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class World:
    spec: str
    boss: str
    refs: dict[str, str]


@pytest.fixture
def world(db):
    """One client (or job) per situation, each owing the rules named in its key."""
    t = today()
    prog = factories.program(db.session, "Oslo IPS")
    spec = factories.user(db.session, "specialist", prog, email="spec@example.test", name="Siri Spec")
    boss = factories.user(db.session, "supervisor", prog, email="boss@example.test", name="Berit Boss")
    factories.employer(db.session, "Kiwi Storo")

    def person(key: str, entry_days: int, contact_days: int | None = None, **kw):
        c = factories.client(db.session, spec, entry=t - timedelta(days=entry_days), name=f"Client {key}")
        if contact_days is not None:  # a phone call: counts, but meets no face-to-face block
            factories.contact(db.session, c, spec, on=t - timedelta(days=contact_days), mode="phone", **kw)
        refs[key] = c.ref
        return c

    def job(c, start_days: int, end_days: int | None = None) -> None:
        end = None if end_days is None else t - timedelta(days=end_days)
        reason = None if end is None else "temporary_ended"
        factories.job(db.session, c, start=t - timedelta(days=start_days), end_date=end, end_reason=reason)

    refs: dict[str, str] = {}
    person("new", 25)  # first_contact, career_profile, rapid_job_search, outcome_baseline
    person("quiet", 55, 20, purpose="engagement")  # outreach, disclosure
    person("half_year", 185, 3)  # outcome_6m
    person("year", 368, 3)  # outcome_12m; the programme's first entry: fidelity_review
    job(person("starting", 60, 1), -5)  # benefits_before_start, pre_start_contact (in time)
    job(person("started", 60, 1), 2)  # start_followup in time; pre_start and benefits late
    job(person("week2", 60, 1), 10)  # weekly_followup in time; start_followup late
    job(person("month2", 90, 1), 55)  # monthly_followup in time; weekly_followup (k = 3) late
    job(person("month1", 90, 1), 60)  # monthly_followup late
    job(person("ended", 90, 10), 40, 1)  # job_loss_contact in time
    job(person("ended_before", 120, 12), 100, 10)  # job_loss_contact late
    db.session.commit()
    prompts_sweep(db.session, now=datetime.now(UTC))
    db.session.commit()
    made = World(spec.email, boss.email, refs)
    db.session.close()  # SQLite: the live server must not wait on this thread's transaction
    return made


def item(page, base: str, rule: str, ref: str | None = None):
    """The prompt on the person's prompt page."""
    page.goto(f"{base}/prompts/")
    where = f'li[data-rule="{rule}"]' + (f'[data-client-ref="{ref}"]' if ref else "")
    return page.locator(where).first


def open_form(page, base: str, rule: str, ref: str | None = None) -> None:
    """One click from the prompt to its form."""
    found = item(page, base, rule, ref)
    assert found.count() == 1, (rule, ref)
    found.locator(".todo-actions a.button").click()
    page.wait_for_load_state()


def chosen(page, name: str, value: str) -> bool:
    return page.locator(f'input[name="{name}"][value="{value}"]').is_checked()


def save_contact(page, **chosen_codes: str) -> None:
    for name, value in chosen_codes.items():
        assert chosen(page, name, value), (name, value)
    if not page.locator('input[name="mode"]:checked').count():
        page.get_by_label("Face to face").check()
    page.get_by_label("Community").check()
    page.get_by_label("Minutes").fill("30")
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_load_state()


def gone(page, base: str, rule: str, ref: str | None = None) -> bool:
    return item(page, base, rule, ref).count() == 0


def done_late(page, base: str, db, rule: str, ref: str) -> None:
    """The late record is shown on the open prompt, and "Done late" dismisses it."""
    late = item(page, base, rule, ref)
    assert late.count() == 1, (rule, ref)
    assert "Done late:" in late.inner_text()
    late.get_by_role("button", name="Done late").click()
    page.wait_for_load_state()
    assert gone(page, base, rule, ref)
    p = db.session.scalars(select(Prompt).where(Prompt.rule == rule, Prompt.status == "dismissed")).first()
    assert p is not None and (p.dismiss_reason, bool(p.late_record)) == (DONE_LATE, True)
    db.session.close()


F2F = {"purpose": "follow_along", "mode": "face_to_face"}


def test_every_prompt_rule_is_one_click_from_its_pre_filled_form(live_server, browser_page, world, db):
    page, base, r = browser_page, live_server, world.refs
    sign_in(page, base, world.spec)
    assert_accessible(page)  # the home with its one list

    # Client rules: any record up to today satisfies them.
    open_form(page, base, "first_contact", r["new"])
    assert_accessible(page)
    save_contact(page, purpose="engagement")
    assert gone(page, base, "first_contact", r["new"])

    open_form(page, base, "career_profile", r["new"])
    page.get_by_label("Work goals").fill("Part-time work in a shop")
    page.get_by_role("button", name="Save the career profile").click()
    assert gone(page, base, "career_profile", r["new"])

    open_form(page, base, "rapid_job_search", r["new"])
    assert page.locator(f'input[name="client_refs"][value="{r["new"]}"]').is_checked()
    assert chosen(page, "mode", "face_to_face")
    page.get_by_label("Employer", exact=True).select_option(label="Kiwi Storo")
    page.get_by_label("Minutes").fill("30")  # minutes are never pre-chosen
    page.get_by_role("button", name="Save contact").click()
    assert gone(page, base, "rapid_job_search", r["new"])

    for rule, key, timepoint in (
        ("outcome_baseline", "new", "baseline"),
        ("outcome_6m", "half_year", "6m"),
        ("outcome_12m", "year", "12m"),
    ):
        open_form(page, base, rule, r[key])
        assert page.locator('select[name="timepoint"]').input_value() == timepoint
        assert page.locator('input[name="measured_on"]').input_value() == today().isoformat()
        page.locator('input[name="eq_vas"]').fill("70")
        page.get_by_role("button", name="Save", exact=True).click()
        assert gone(page, base, rule, r[key])

    open_form(page, base, "outreach", r["quiet"])
    save_contact(page, purpose="engagement")
    assert gone(page, base, "outreach", r["quiet"])
    open_form(page, base, "disclosure", r["quiet"])
    save_contact(page, purpose="disclosure")
    assert gone(page, base, "disclosure", r["quiet"])

    # Job rules: in time closes; late leaves the prompt open with "Done late".
    open_form(page, base, "benefits_before_start", r["starting"])
    assert page.locator('select[name="kind"]').input_value() == "before_job_start"
    page.get_by_role("button", name="Save the session").click()
    assert gone(page, base, "benefits_before_start", r["starting"])
    open_form(page, base, "benefits_before_start", r["started"])
    page.get_by_role("button", name="Save the session").click()  # after the job's start: late
    done_late(page, base, db, "benefits_before_start", r["started"])

    open_form(page, base, "pre_start_contact", r["starting"])
    save_contact(page, **F2F)
    assert gone(page, base, "pre_start_contact", r["starting"])

    open_form(page, base, "start_followup", r["started"])
    save_contact(page, **F2F)
    assert gone(page, base, "start_followup", r["started"])
    done_late(page, base, db, "pre_start_contact", r["started"])  # the same meeting, a week late

    open_form(page, base, "weekly_followup", r["week2"])
    save_contact(page, **F2F)
    assert gone(page, base, "weekly_followup", r["week2"])
    done_late(page, base, db, "start_followup", r["week2"])

    open_form(page, base, "monthly_followup", r["month2"])
    save_contact(page, **F2F)
    assert gone(page, base, "monthly_followup", r["month2"])
    done_late(page, base, db, "weekly_followup", r["month2"])

    open_form(page, base, "monthly_followup", r["month1"])
    save_contact(page, **F2F)
    done_late(page, base, db, "monthly_followup", r["month1"])

    open_form(page, base, "job_loss_contact", r["ended"])
    save_contact(page, purpose="follow_along")
    assert gone(page, base, "job_loss_contact", r["ended"])
    open_form(page, base, "job_loss_contact", r["ended_before"])
    save_contact(page, purpose="follow_along")
    done_late(page, base, db, "job_loss_contact", r["ended_before"])
    assert_accessible(page)

    # Programme rules, for the supervisor.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, world.boss)
    week = item(page, base, "weekly_log_review").locator(".todo-actions a.button")
    href = week.get_attribute("href")
    week.click()
    page.get_by_role("button", name="Mark this week as reviewed").click()
    page.wait_for_load_state()
    page.goto(f"{base}/prompts/")
    assert page.locator(f'li[data-rule="weekly_log_review"] a[href="{href}"]').count() == 0

    open_form(page, base, "fidelity_review")
    assert page.locator('input[name="review_date"]').input_value() == today().isoformat()
    assert_accessible(page)
