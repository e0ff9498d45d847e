"""The pure core every number and every due date comes from (metrics.md), one module per concept.

- ``periods``: days, windows, the activity window, the job year.
- ``numbers``: exact percentages, means, medians, rounding, and how numbers are written out.
- ``codes``: the code lists of exchange-format.md (closure and end reasons, timepoints, ...).
- ``support``: the follow-along blocks of a job and when a contact meets them.
- ``due``: the client rules' due dates (first contact, career profile, rapid job search, ...).
- ``scale``: the IPS-25 thresholds that turn a computed value into a score.

No module here imports the database, Flask or a feature: features call in, never the reverse.
"""
