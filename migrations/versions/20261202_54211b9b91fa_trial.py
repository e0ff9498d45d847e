"""The randomised trial: set-up, screening, participants, append-only allocations (a database
guard), masked assessments, unmasking events, the data lock; three new roles

Revision ID: 54211b9b91fa
Revises: d4e5f6a7b801
Create Date: 2026-12-02 02:10:10.235774

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "54211b9b91fa"
down_revision = "d4e5f6a7b801"
branch_labels = None
depends_on = None

SQLITE_GUARD = (
    "CREATE TRIGGER trial_allocations_no_update BEFORE UPDATE OF "
    "trial_id, participant_id, stratum, sequence, arm_id, allocated_at, allocated_by_id "
    "ON trial_allocations BEGIN SELECT RAISE(ABORT, 'allocations are append-only'); END",
)
POSTGRESQL_GUARD = (
    "CREATE OR REPLACE FUNCTION trial_allocations_guard() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF TG_OP = 'DELETE' OR NEW.trial_id <> OLD.trial_id "
    "OR NEW.participant_id <> OLD.participant_id OR NEW.stratum <> OLD.stratum "
    "OR NEW.sequence <> OLD.sequence OR NEW.arm_id <> OLD.arm_id "
    "OR NEW.allocated_at <> OLD.allocated_at OR NEW.allocated_by_id <> OLD.allocated_by_id THEN "
    "RAISE EXCEPTION 'allocations are append-only'; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER trial_allocations_guard BEFORE UPDATE OR DELETE ON trial_allocations "
    "FOR EACH ROW EXECUTE FUNCTION trial_allocations_guard()",
)


def _roles(roles):
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_role"), f"role IN ({roles})")


def upgrade():
    op.create_table(
        "trials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("registration_id", sa.String(length=60), nullable=True),
        sa.Column("target_enrolment", sa.Integer(), nullable=False),
        sa.Column("allocation_source", sa.String(length=10), nullable=True),
        sa.Column("allocation_secret", sa.Text(), nullable=True),
        sa.Column("allocation_set_at", sa.DateTime(), nullable=True),
        sa.Column("allocation_set_by_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["allocation_set_by_id"], ["users.id"], name=op.f("fk_trials_allocation_set_by_id_users")
        ),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], name=op.f("fk_trials_program_id_programs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trials")),
        sa.UniqueConstraint("ref", name=op.f("uq_trials_ref")),
    )
    with op.batch_alter_table("trials", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trials_allocation_set_by_id"), ["allocation_set_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trials_program_id"), ["program_id"], unique=False)

    op.create_table(
        "trial_arms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("ratio", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("refers_to_caseload", sa.Boolean(), nullable=False),
        sa.CheckConstraint("ratio >= 1 AND ratio <= 10", name=op.f("ck_trial_arms_ratio")),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], name=op.f("fk_trial_arms_trial_id_trials")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_arms")),
        sa.UniqueConstraint("trial_id", "code", name=op.f("uq_trial_arms_trial_id_code")),
    )
    with op.batch_alter_table("trial_arms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_arms_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "trial_eligibility_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_eligibility_items_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_eligibility_items")),
        sa.UniqueConstraint("trial_id", "code", name=op.f("uq_trial_eligibility_items_trial_id_code")),
    )
    with op.batch_alter_table("trial_eligibility_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_eligibility_items_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "trial_factors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], name=op.f("fk_trial_factors_trial_id_trials")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_factors")),
        sa.UniqueConstraint("trial_id", "code", name=op.f("uq_trial_factors_trial_id_code")),
    )
    with op.batch_alter_table("trial_factors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_factors_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "trial_locks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("locked_on", sa.Date(), nullable=False),
        sa.Column("locked_at", sa.DateTime(), nullable=False),
        sa.Column("locked_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locked_by_id"], ["users.id"], name=op.f("fk_trial_locks_locked_by_id_users")
        ),
        sa.ForeignKeyConstraint(["trial_id"], ["trials.id"], name=op.f("fk_trial_locks_trial_id_trials")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_locks")),
    )
    with op.batch_alter_table("trial_locks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_locks_locked_by_id"), ["locked_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trial_locks_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "trial_post_lock_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("record_ref", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_trial_post_lock_corrections_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_post_lock_corrections_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_post_lock_corrections")),
    )
    with op.batch_alter_table("trial_post_lock_corrections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_post_lock_corrections_by_id"), ["by_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_trial_post_lock_corrections_record_ref"), ["record_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_trial_post_lock_corrections_trial_id"), ["trial_id"], unique=False
        )

    op.create_table(
        "trial_screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("screened_on", sa.Date(), nullable=False),
        sa.Column("screened_by_id", sa.Integer(), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=True),
        sa.Column("criteria_met", sa.String(length=500), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("exclusion_reasons", sa.String(length=200), nullable=False),
        sa.Column("exclusion_note", sa.String(length=500), nullable=True),
        sa.Column("consent_on", sa.Date(), nullable=True),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "eligible OR exclusion_reasons <> ''", name=op.f("ck_trial_screenings_excluded_reason")
        ),
        sa.ForeignKeyConstraint(
            ["screened_by_id"], ["users.id"], name=op.f("fk_trial_screenings_screened_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_screenings_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_screenings")),
        sa.UniqueConstraint("ref", name=op.f("uq_trial_screenings_ref")),
    )
    with op.batch_alter_table("trial_screenings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_screenings_screened_by_id"), ["screened_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trial_screenings_trial_id"), ["trial_id"], unique=False)
        batch_op.create_index("ix_trial_screenings_trial_screened", ["trial_id", "screened_on"], unique=False)

    op.create_table(
        "trial_timepoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "window_days >= 0 AND window_days <= 180", name=op.f("ck_trial_timepoints_window_days")
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_timepoints_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_timepoints")),
        sa.UniqueConstraint("trial_id", "code", name=op.f("uq_trial_timepoints_trial_id_code")),
    )
    with op.batch_alter_table("trial_timepoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_timepoints_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "trial_factor_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("factor_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["factor_id"], ["trial_factors.id"], name=op.f("fk_trial_factor_levels_factor_id_trial_factors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_factor_levels")),
        sa.UniqueConstraint("factor_id", "code", name=op.f("uq_trial_factor_levels_factor_id_code")),
    )
    with op.batch_alter_table("trial_factor_levels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_factor_levels_factor_id"), ["factor_id"], unique=False)

    op.create_table(
        "trial_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("stratum", sa.String(length=300), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("enrolled_by_id", sa.Integer(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_reason", sa.String(length=500), nullable=True),
        sa.Column("data_may_be_kept", sa.Boolean(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "withdrawn_on IS NULL OR withdrawal_reason IS NOT NULL",
            name=op.f("ck_trial_participants_withdrawal_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolled_by_id"], ["users.id"], name=op.f("fk_trial_participants_enrolled_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name=op.f("fk_trial_participants_referral_id_referrals")
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"],
            ["trial_screenings.id"],
            name=op.f("fk_trial_participants_screening_id_trial_screenings"),
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_participants_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_participants")),
        sa.UniqueConstraint("ref", name=op.f("uq_trial_participants_ref")),
        sa.UniqueConstraint("referral_id", name=op.f("uq_trial_participants_referral_id")),
        sa.UniqueConstraint("screening_id", name=op.f("uq_trial_participants_screening_id")),
    )
    with op.batch_alter_table("trial_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_participants_enrolled_by_id"), ["enrolled_by_id"], unique=False
        )
        batch_op.create_index(
            "ix_trial_participants_trial_enrolled", ["trial_id", "enrolled_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trial_participants_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "trial_allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("stratum", sa.String(length=300), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("arm_id", sa.Integer(), nullable=False),
        sa.Column("allocated_at", sa.DateTime(), nullable=False),
        sa.Column("allocated_by_id", sa.Integer(), nullable=False),
        sa.Column("annotation", sa.Text(), nullable=True),
        sa.Column("annotated_at", sa.DateTime(), nullable=True),
        sa.Column("annotated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("sequence >= 1", name=op.f("ck_trial_allocations_sequence")),
        sa.ForeignKeyConstraint(
            ["allocated_by_id"], ["users.id"], name=op.f("fk_trial_allocations_allocated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["annotated_by_id"], ["users.id"], name=op.f("fk_trial_allocations_annotated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["arm_id"], ["trial_arms.id"], name=op.f("fk_trial_allocations_arm_id_trial_arms")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_allocations_participant_id_trial_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["trials.id"], name=op.f("fk_trial_allocations_trial_id_trials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_allocations")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_trial_allocations_participant_id")),
        sa.UniqueConstraint(
            "trial_id", "stratum", "sequence", name=op.f("uq_trial_allocations_trial_id_stratum_sequence")
        ),
    )
    with op.batch_alter_table("trial_allocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_allocations_allocated_by_id"), ["allocated_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_trial_allocations_annotated_by_id"), ["annotated_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trial_allocations_arm_id"), ["arm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trial_allocations_trial_id"), ["trial_id"], unique=False)

    op.create_table(
        "trial_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("timepoint", sa.String(length=10), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("not_done_reason", sa.String(length=20), nullable=True),
        sa.Column("mode", sa.String(length=20), nullable=True),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("odi_1", sa.Integer(), nullable=True),
        sa.Column("odi_2", sa.Integer(), nullable=True),
        sa.Column("odi_3", sa.Integer(), nullable=True),
        sa.Column("odi_4", sa.Integer(), nullable=True),
        sa.Column("odi_5", sa.Integer(), nullable=True),
        sa.Column("odi_6", sa.Integer(), nullable=True),
        sa.Column("odi_7", sa.Integer(), nullable=True),
        sa.Column("odi_8", sa.Integer(), nullable=True),
        sa.Column("odi_9", sa.Integer(), nullable=True),
        sa.Column("odi_10", sa.Integer(), nullable=True),
        sa.Column("eq_vas", sa.Integer(), nullable=True),
        sa.Column("pain_nrs", sa.Integer(), nullable=True),
        sa.Column("competitive_job", sa.Boolean(), nullable=True),
        sa.Column("hours_per_week", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("sick_leave_pct", sa.Integer(), nullable=True),
        sa.Column("benefits", sa.String(length=200), nullable=False),
        sa.Column("disability_pension_pct", sa.Integer(), nullable=True),
        sa.Column("any_competitive_job", sa.Boolean(), nullable=True),
        sa.Column("weeks_worked", sa.Integer(), nullable=True),
        sa.Column("days_worked", sa.Integer(), nullable=True),
        sa.Column("hours_worked", sa.Numeric(precision=6, scale=1), nullable=True),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(done_on IS NOT NULL AND not_done_reason IS NULL) OR "
            "(done_on IS NULL AND not_done_reason IS NOT NULL)",
            name=op.f("ck_trial_assessments_done_or_reason"),
        ),
        sa.CheckConstraint(
            "days_worked IS NULL OR (days_worked >= 0 AND days_worked <= 800)",
            name=op.f("ck_trial_assessments_days"),
        ),
        sa.CheckConstraint(
            "disability_pension_pct IS NULL OR "
            "(disability_pension_pct >= 0 AND disability_pension_pct <= 100)",
            name=op.f("ck_trial_assessments_pension"),
        ),
        sa.CheckConstraint(
            "eq_vas IS NULL OR (eq_vas >= 0 AND eq_vas <= 100)", name=op.f("ck_trial_assessments_eq_vas")
        ),
        sa.CheckConstraint(
            "hours_per_week IS NULL OR (hours_per_week >= 0 AND hours_per_week <= 100)",
            name=op.f("ck_trial_assessments_hours"),
        ),
        sa.CheckConstraint(
            "hours_worked IS NULL OR (hours_worked >= 0 AND hours_worked <= 6000)",
            name=op.f("ck_trial_assessments_hours_worked"),
        ),
        sa.CheckConstraint(
            "odi_1 IS NULL OR (odi_1 >= 0 AND odi_1 <= 5)", name=op.f("ck_trial_assessments_odi_1")
        ),
        sa.CheckConstraint(
            "odi_10 IS NULL OR (odi_10 >= 0 AND odi_10 <= 5)", name=op.f("ck_trial_assessments_odi_10")
        ),
        sa.CheckConstraint(
            "odi_2 IS NULL OR (odi_2 >= 0 AND odi_2 <= 5)", name=op.f("ck_trial_assessments_odi_2")
        ),
        sa.CheckConstraint(
            "odi_3 IS NULL OR (odi_3 >= 0 AND odi_3 <= 5)", name=op.f("ck_trial_assessments_odi_3")
        ),
        sa.CheckConstraint(
            "odi_4 IS NULL OR (odi_4 >= 0 AND odi_4 <= 5)", name=op.f("ck_trial_assessments_odi_4")
        ),
        sa.CheckConstraint(
            "odi_5 IS NULL OR (odi_5 >= 0 AND odi_5 <= 5)", name=op.f("ck_trial_assessments_odi_5")
        ),
        sa.CheckConstraint(
            "odi_6 IS NULL OR (odi_6 >= 0 AND odi_6 <= 5)", name=op.f("ck_trial_assessments_odi_6")
        ),
        sa.CheckConstraint(
            "odi_7 IS NULL OR (odi_7 >= 0 AND odi_7 <= 5)", name=op.f("ck_trial_assessments_odi_7")
        ),
        sa.CheckConstraint(
            "odi_8 IS NULL OR (odi_8 >= 0 AND odi_8 <= 5)", name=op.f("ck_trial_assessments_odi_8")
        ),
        sa.CheckConstraint(
            "odi_9 IS NULL OR (odi_9 >= 0 AND odi_9 <= 5)", name=op.f("ck_trial_assessments_odi_9")
        ),
        sa.CheckConstraint(
            "pain_nrs IS NULL OR (pain_nrs >= 0 AND pain_nrs <= 10)",
            name=op.f("ck_trial_assessments_pain_nrs"),
        ),
        sa.CheckConstraint(
            "sick_leave_pct IS NULL OR (sick_leave_pct >= 0 AND sick_leave_pct <= 100)",
            name=op.f("ck_trial_assessments_sick"),
        ),
        sa.CheckConstraint(
            "weeks_worked IS NULL OR (weeks_worked >= 0 AND weeks_worked <= 110)",
            name=op.f("ck_trial_assessments_weeks"),
        ),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["users.id"], name=op.f("fk_trial_assessments_assessor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_assessments_participant_id_trial_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_assessments")),
        sa.UniqueConstraint(
            "participant_id", "timepoint", name=op.f("uq_trial_assessments_participant_id_timepoint")
        ),
        sa.UniqueConstraint("ref", name=op.f("uq_trial_assessments_ref")),
    )
    with op.batch_alter_table("trial_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trial_assessments_assessor_id"), ["assessor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_trial_assessments_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "trial_unmasking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["users.id"], name=op.f("fk_trial_unmasking_events_assessor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["trial_participants.id"],
            name=op.f("fk_trial_unmasking_events_participant_id_trial_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trial_unmasking_events")),
    )
    with op.batch_alter_table("trial_unmasking_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trial_unmasking_events_assessor_id"), ["assessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_trial_unmasking_events_participant_id"), ["participant_id"], unique=False
        )

    guard = POSTGRESQL_GUARD if op.get_bind().dialect.name == "postgresql" else SQLITE_GUARD
    for statement in guard:
        op.execute(statement)
    _roles("'specialist', 'supervisor', 'clinician', 'admin', 'trial_manager', 'assessor', 'statistician'")


def downgrade():
    _roles("'specialist', 'supervisor', 'clinician', 'admin'")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trial_allocations_guard ON trial_allocations")
        op.execute("DROP FUNCTION IF EXISTS trial_allocations_guard()")
    with op.batch_alter_table("trial_unmasking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_unmasking_events_participant_id"))
        batch_op.drop_index(batch_op.f("ix_trial_unmasking_events_assessor_id"))

    op.drop_table("trial_unmasking_events")
    with op.batch_alter_table("trial_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_assessments_participant_id"))
        batch_op.drop_index(batch_op.f("ix_trial_assessments_assessor_id"))

    op.drop_table("trial_assessments")
    with op.batch_alter_table("trial_allocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_allocations_trial_id"))
        batch_op.drop_index(batch_op.f("ix_trial_allocations_arm_id"))
        batch_op.drop_index(batch_op.f("ix_trial_allocations_annotated_by_id"))
        batch_op.drop_index(batch_op.f("ix_trial_allocations_allocated_by_id"))

    op.drop_table("trial_allocations")
    with op.batch_alter_table("trial_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_participants_trial_id"))
        batch_op.drop_index("ix_trial_participants_trial_enrolled")
        batch_op.drop_index(batch_op.f("ix_trial_participants_enrolled_by_id"))

    op.drop_table("trial_participants")
    with op.batch_alter_table("trial_factor_levels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_factor_levels_factor_id"))

    op.drop_table("trial_factor_levels")
    with op.batch_alter_table("trial_timepoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_timepoints_trial_id"))

    op.drop_table("trial_timepoints")
    with op.batch_alter_table("trial_screenings", schema=None) as batch_op:
        batch_op.drop_index("ix_trial_screenings_trial_screened")
        batch_op.drop_index(batch_op.f("ix_trial_screenings_trial_id"))
        batch_op.drop_index(batch_op.f("ix_trial_screenings_screened_by_id"))

    op.drop_table("trial_screenings")
    with op.batch_alter_table("trial_post_lock_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_post_lock_corrections_trial_id"))
        batch_op.drop_index(batch_op.f("ix_trial_post_lock_corrections_record_ref"))
        batch_op.drop_index(batch_op.f("ix_trial_post_lock_corrections_by_id"))

    op.drop_table("trial_post_lock_corrections")
    with op.batch_alter_table("trial_locks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_locks_trial_id"))
        batch_op.drop_index(batch_op.f("ix_trial_locks_locked_by_id"))

    op.drop_table("trial_locks")
    with op.batch_alter_table("trial_factors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_factors_trial_id"))

    op.drop_table("trial_factors")
    with op.batch_alter_table("trial_eligibility_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_eligibility_items_trial_id"))

    op.drop_table("trial_eligibility_items")
    with op.batch_alter_table("trial_arms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trial_arms_trial_id"))

    op.drop_table("trial_arms")
    with op.batch_alter_table("trials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trials_program_id"))
        batch_op.drop_index(batch_op.f("ix_trials_allocation_set_by_id"))

    op.drop_table("trials")
