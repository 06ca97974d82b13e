"""Receipts: the optional service beside the static portal (issue 19).

It reads only the published JSON Feed (feeds/all.json), e-mails every unit a letter is addressed to,
lets the unit confirm receipt through an HMAC-signed link (no accounts) and shows the office who has
confirmed and who has not. It never imports `pipeline`: the portal stays static and works without it.

Modules, one job each:
  settings      configuration from the environment (CONGBO_RECEIPTS_*, CONGBO_SMTP_*)
  directory     units, groups and their official addresses (portal.yml and a private receipts.yml)
  feed          the published JSON Feed parsed into records
  workhours     working hours (deadlines), digest times, the local time zone
  tokens        the signed confirmation links
  database      the engine (SQLite or PostgreSQL), retries, migrations (alembic)
  schema        the tables
  sync          one feed poll into the database, in one transaction
  outbox        claiming and recording mails
  letters       the e-mails themselves
  smtp          sending them
  notifier      poll, deliver, remind: the loop
  confirm       recording a confirmation
  overview      what the office page and the monthly report show
  web, pages    the HTTP service (Starlette on uvicorn) and its Vietnamese pages
  cli           `python -m receipts serve|poll|report|migrate|link|demo`
"""
