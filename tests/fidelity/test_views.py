"""The fidelity pages: who sees what, the computed items, the records behind them, the review."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from caseload.auth.models import AuditEvent
from caseload.fidelity import views
from caseload.fidelity.catalogue import ITEM_KEYS
from caseload.fidelity.models import FidelityReview
from tests import factories
from tests.fidelity.conftest import AS_OF

CLIENT_LINK = re.compile(r'href="/clients/(C-\d+)"')


def _url(programme, path: str = "") -> str:
    return f"/fidelity/programs/{programme.program.ref}{path}?as_of={AS_OF.isoformat()}"


def test_supervisor_sees_the_programmes_computed_items_and_reviews(client, login_as, programme):
    login_as(user=programme.sup)
    html = client.get(_url(programme)).get_data(as_text=True)
    assert "S1 Caseload size" in html and "Start a review" in html and "V12" in html
    assert "Other Client" not in html  # aggregates only on this page


def test_specialist_sees_the_items_of_their_own_work_and_no_review(client, login_as, programme):
    login_as(user=programme.spec)
    page = client.get(_url(programme))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "your own work" in html
    assert "Start a review" not in html and "Reviews" not in html
    assert "2.5 clients per full-time specialist" not in html  # the programme's S1 (5 clients / 2 fte)
    assert "4.0 clients per full-time specialist" in html


@pytest.mark.parametrize("role", ["clinician", "admin"])
def test_clinicians_and_admins_see_no_fidelity_page(client, login_as, programme, role):
    login_as(role, prog=programme.program)
    assert client.get(_url(programme)).status_code == 404
    assert client.get(_url(programme, "/items/S1")).status_code == 404
    assert client.get(_url(programme, "/logs")).status_code == 404
    assert client.get("/fidelity").status_code == 404


def test_staff_of_another_programme_get_404(client, login_as, db, programme):
    other = factories.program(db.session, "Bergen IPS")
    login_as("supervisor", prog=other)
    assert client.get(_url(programme)).status_code == 404
    assert client.get(_url(programme, "/reviews/new")).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, programme):
    assert client.get(_url(programme)).status_code in (302, 401)


def test_a_bad_as_of_date_is_refused(client, login_as, programme):
    login_as(user=programme.sup)
    url = f"/fidelity/programs/{programme.program.ref}?as_of=9999-99-99"
    assert client.get(url).status_code == 400


def test_records_behind_an_item_link_to_the_clients_and_are_audited(client, login_as, db, programme):
    login_as(user=programme.sup)
    page = client.get(_url(programme, "/items/S1"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert all(f"/clients/{c.ref}" in html for c in programme.clients)
    assert "Other Client" in html
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "fidelity_records")).one()
    assert event.user_id == programme.sup.id and event.target.endswith(f":S1:{AS_OF.isoformat()}")
    assert {c.ref for c in programme.clients} <= set(event.shown.split())  # each client's access report


def test_long_lists_of_records_come_in_pages_by_reference(client, login_as, programme, monkeypatch):
    """At region scale one item rests on tens of thousands of contacts: a page shows a slice."""
    login_as(user=programme.sup)
    whole = client.get(_url(programme, "/items/S1")).get_data(as_text=True)
    refs = sorted(set(CLIENT_LINK.findall(whole)))
    assert len(refs) >= 3 and "Page 1 of" not in whole
    monkeypatch.setattr(views, "RECORDS_PER_PAGE", 1)
    pages = [client.get(_url(programme, "/items/S1") + f"&page={n}") for n in range(1, len(refs) + 1)]
    html = [page.get_data(as_text=True) for page in pages]
    assert [CLIENT_LINK.findall(h) for h in html] == [[ref] for ref in refs]
    assert f"Page 1 of {len(refs)}" in html[0] and f"Clients ({len(refs)})" in html[0]
    assert 'rel="next"' in html[0] and 'rel="prev"' not in html[0]
    assert 'rel="prev"' in html[-1] and 'rel="next"' not in html[-1]
    assert client.get(_url(programme, "/items/S1") + f"&page={len(refs) + 1}").status_code == 404
    assert client.get(_url(programme, "/items/S1") + "&page=0").status_code == 404


def test_a_specialist_sees_only_their_own_records(client, login_as, programme):
    login_as(user=programme.spec2)
    html = client.get(_url(programme, "/items/S1")).get_data(as_text=True)
    assert "Other Client" in html and "Client 0" not in html
    assert client.get(_url(programme, "/items/XX")).status_code == 404


def test_v4_records_show_the_first_employer_contacts(client, login_as, programme):
    login_as(user=programme.sup)
    html = client.get(_url(programme, "/items/V4")).get_data(as_text=True)
    assert "Employer contacts" in html and "Client 3" in html


def review_form_data(review, *, score=4, **changes) -> dict:
    """Form data scoring every item: computed scores kept, judgement items ``score``."""
    data = {"version": str(review.version), "reviewers": "Ann Reviewer, Bo Reviewer", "notes": ""}
    for i, item in enumerate(sorted(review.items, key=lambda it: it.position)):
        data[f"items-{i}-score"] = str(item.computed_score or score)
    data.update(changes)
    return data


def _review(db):
    return db.session.scalars(select(FidelityReview)).one()


def finalise(client, db, review, **changes):
    """Save and finalise, then confirm (the second step); returns the confirmation's response."""
    asked = client.post(
        f"/fidelity/reviews/{review.ref}", data=review_form_data(review, finalise="1", **changes)
    )
    assert asked.status_code == 302 and asked.headers["Location"].endswith(f"/reviews/{review.ref}/finalise")
    db.session.refresh(review)
    return client.post(f"/fidelity/reviews/{review.ref}/finalise", data={"version": review.version})


def test_supervisor_starts_scores_and_finalises_a_review(client, login_as, db, programme):
    login_as(user=programme.sup)
    start = client.post(
        _url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat(), "reviewers": "Ann"}
    )
    review = _review(db)
    assert start.headers["Location"].endswith(f"/fidelity/reviews/{review.ref}")
    html = client.get(f"/fidelity/reviews/{review.ref}").get_data(as_text=True)
    assert all(f'id="item-{key}"' in html for key in ITEM_KEYS)
    assert "O5: elements present" in html and "Anchors" in html
    saved = client.post(f"/fidelity/reviews/{review.ref}", data=review_form_data(review, save="1"))
    assert saved.status_code == 302
    db.session.refresh(review)
    assert review.status == "draft" and review.total is not None
    done = finalise(client, db, review)
    assert done.status_code == 302
    db.session.refresh(review)
    assert review.status == "final" and review.band in ("exemplary", "good", "fair", "not_ips")
    final = client.get(f"/fidelity/reviews/{review.ref}").get_data(as_text=True)
    assert "Download the report (PDF)" in final and "items-0-score" not in final
    again = client.post(f"/fidelity/reviews/{review.ref}", data=review_form_data(review, save="1"))
    assert again.status_code == 409


def test_a_draft_with_an_override_but_no_reason_is_saved(client, login_as, db, programme):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    page = client.post(
        f"/fidelity/reviews/{review.ref}", data=review_form_data(review, save="1", **{"items-0-score": "1"})
    )
    assert page.status_code == 302
    db.session.refresh(review)
    s1 = next(i for i in review.items if i.code == "S1")
    assert (s1.score, s1.override_reason, review.status) == (1, None, "draft")


def test_finalising_names_each_item_that_needs_something_and_keeps_the_draft(client, login_as, db, programme):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    data = review_form_data(review, finalise="1", **{"items-0-score": "1", "items-24-score": ""})
    page = client.post(f"/fidelity/reviews/{review.ref}", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "S1 Caseload size: an override needs a reason (the computed score is 5)." in html
    assert "V14 Assertive engagement and outreach: not scored yet." in html
    assert "Draft saved. Before it can be finalised:" in html
    assert 'class="needs"><a href="#S1">S1</a>' in html
    db.session.refresh(review)
    assert review.status == "draft" and next(i for i in review.items if i.code == "S1").score == 1
    assert f'name="version" type="hidden" value="{review.version}"' in html
    confirm = client.get(f"/fidelity/reviews/{review.ref}/finalise")
    assert confirm.status_code == 302 and confirm.headers["Location"].endswith(
        f"/fidelity/reviews/{review.ref}"
    )
    assert (
        client.post(f"/fidelity/reviews/{review.ref}/finalise", data={"version": review.version}).status_code
        == 302
    )
    db.session.refresh(review)
    assert review.status == "draft"


def test_finalising_asks_for_confirmation_first(client, login_as, db, programme):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    reason = {"items-0-score": "4", "items-0-override_reason": "Two caseloads were counted twice"}
    client.post(f"/fidelity/reviews/{review.ref}", data=review_form_data(review, finalise="1", **reason))
    db.session.refresh(review)
    assert review.status == "draft"
    page = client.get(f"/fidelity/reviews/{review.ref}/finalise").get_data(as_text=True)
    assert "Finalise review" in page and "of 125" in page
    assert "S1 Caseload size: 5 → 4 — Two caseloads were counted twice" in page
    assert 'action="/fidelity/reviews/' + review.ref + '/finalise"' in page
    stale = client.post(f"/fidelity/reviews/{review.ref}/finalise", data={"version": review.version - 1})
    assert stale.status_code == 302
    db.session.refresh(review)
    assert review.status == "draft"
    client.post(f"/fidelity/reviews/{review.ref}/finalise", data={"version": review.version})
    db.session.refresh(review)
    assert review.status == "final"


def test_the_review_shows_an_item_index_with_progress(client, login_as, db, programme):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    computed = sum(1 for i in review.items if i.computed_score is not None)
    html = client.get(f"/fidelity/reviews/{review.ref}").get_data(as_text=True)
    assert f"{computed} of 25 scored" in html
    assert all(f'<a href="#{key}">{key}</a>' in html for key in ITEM_KEYS)
    client.post(f"/fidelity/reviews/{review.ref}", data=review_form_data(review, save="1"))
    assert "25 of 25 scored" in client.get(f"/fidelity/reviews/{review.ref}").get_data(as_text=True)


def test_a_score_outside_1_to_5_is_refused_by_the_form(client, login_as, db, programme):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    page = client.post(
        f"/fidelity/reviews/{review.ref}", data=review_form_data(review, **{"items-5-score": "9"})
    )
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Nothing was saved. See the message by:" in html
    assert '<li><a href="#O3">O3 Collaboration with NAV / vocational rehabilitation</a></li>' in html


def test_a_review_date_far_in_the_future_is_refused(client, login_as, programme):
    login_as(user=programme.sup)
    page = client.post(_url(programme, "/reviews/new"), data={"review_date": "2999-01-01"})
    assert page.status_code == 422


@pytest.mark.parametrize("role", ["specialist", "clinician", "admin"])
def test_only_supervisors_open_and_edit_reviews(client, login_as, db, programme, role):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    login_as(role, prog=programme.program)
    assert client.get(f"/fidelity/reviews/{review.ref}").status_code == 404
    assert client.post(f"/fidelity/reviews/{review.ref}", data=review_form_data(review)).status_code == 404
    assert client.get(_url(programme, "/reviews/new")).status_code == 404
    assert client.get(f"/reports/fidelity/reviews/{review.ref}.pdf").status_code == 404


def test_a_supervisor_of_another_programme_cannot_open_the_review(client, login_as, db, programme):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    login_as("supervisor", prog=factories.program(db.session, "Bergen IPS"))
    assert client.get(f"/fidelity/reviews/{review.ref}").status_code == 404


def test_specialist_logs_a_team_meeting_and_a_nav_contact_for_themselves(client, login_as, db, programme):
    login_as(user=programme.spec)
    team = programme.teams[0]
    page = client.post(
        f"/fidelity/programs/{programme.program.ref}/logs/team",
        data={
            "tm-meeting_date": AS_OF.isoformat(),
            "tm-team_id": team.id,
            "tm-specialist_id": programme.spec.id,
        },
    )
    assert page.status_code == 302
    page = client.post(
        f"/fidelity/programs/{programme.program.ref}/logs/vr",
        data={
            "vr-contact_date": AS_OF.isoformat(),
            "vr-kind": "meeting",
            "vr-specialist_id": programme.spec.id,
        },
    )
    assert page.status_code == 302
    forged = client.post(
        f"/fidelity/programs/{programme.program.ref}/logs/vr",
        data={
            "vr-contact_date": AS_OF.isoformat(),
            "vr-kind": "contact",
            "vr-specialist_id": programme.spec2.id,
        },
    )
    assert forged.status_code == 422
    html = client.get(f"/fidelity/programs/{programme.program.ref}/logs").get_data(as_text=True)
    assert "Pain clinic A" in html and "Scheduled meeting" in html
    assert client.post(f"/fidelity/programs/{programme.program.ref}/logs/sup", data={}).status_code == 404


def test_supervisor_logs_supervision_and_the_evidence_shows_it(client, login_as, programme):
    login_as(user=programme.sup)
    page = client.post(
        f"/fidelity/programs/{programme.program.ref}/logs/sup",
        data={
            "sv-session_date": "2026-03-02",
            "sv-kind": "group",
            "sv-specialist_id": "0",
            "sv-minutes": "60",
        },
    )
    assert page.status_code == 302
    html = client.get(f"/fidelity/programs/{programme.program.ref}?as_of=2026-03-08").get_data(as_text=True)
    assert "Group supervision: 1 of 13 weeks" in html


def test_a_log_with_a_bad_date_comes_back_with_the_message(client, login_as, programme):
    login_as(user=programme.sup)
    page = client.post(
        f"/fidelity/programs/{programme.program.ref}/logs/team",
        data={
            "tm-meeting_date": "2999-01-01",
            "tm-team_id": programme.teams[0].id,
            "tm-specialist_id": programme.spec.id,
        },
    )
    assert page.status_code == 422 and "future" in page.get_data(as_text=True)


def test_the_trend_chart_shows_after_a_final_review(client, login_as, db, programme):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    finalise(client, db, review)
    html = client.get(_url(programme)).get_data(as_text=True)
    assert "<svg" in html and "Fidelity total over the final reviews" in html


def test_the_programme_page_section_renders_from_the_summary(app, db, login_as, client, programme):
    from flask import render_template

    from caseload.fidelity.queries import program_summary

    login_as(user=programme.sup)
    with app.test_request_context("/"):
        html = render_template(
            "fidelity/_program_section.html", fidelity=program_summary(db.session, programme.program, AS_OF)
        )
    assert (
        "S1</a> Caseload size" in html and "No final review yet." in html and "Team meetings attended" in html
    )


def test_a_final_review_keeps_its_evidence_when_records_change_later(client, login_as, db, programme):
    login_as(user=programme.sup)
    client.post(_url(programme, "/reviews/new"), data={"review_date": AS_OF.isoformat()})
    review = _review(db)
    finalise(client, db, review)
    before = client.get(f"/fidelity/reviews/{review.ref}").get_data(as_text=True)
    assert "Group supervision: 0 of 13 weeks" in before
    client.post(
        f"/fidelity/programs/{programme.program.ref}/logs/sup",
        data={
            "sv-session_date": "2026-02-25",
            "sv-kind": "group",
            "sv-specialist_id": "0",
            "sv-minutes": "60",
        },
    )
    factories.employer_contact(db.session, programme.spec, on=AS_OF, clients=[programme.clients[0]])
    db.session.commit()
    after = client.get(f"/fidelity/reviews/{review.ref}").get_data(as_text=True)
    assert "Group supervision: 0 of 13 weeks" in after
    assert before.count("Computed:") == after.count("Computed:")
