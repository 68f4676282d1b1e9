"""The review-dates check: is the content in date?"""

from __future__ import annotations

from handouts.check.report import CheckResult, worst
from handouts.check.subject import Subject, plural

REVIEW_WARN_DAYS = 60


def check_review_dates(s: Subject) -> CheckResult:
    """``review_by`` passed: fail; due within 60 days: warn; ``reviewed`` in the future: fail."""
    h, today = s.handout, s.today
    days_left = (h.review_by - today).days
    measured = {"reviewed": h.reviewed.isoformat(), "review_by": h.review_by.isoformat(),
                "today": today.isoformat(), "days_left": days_left}
    limits = {"warn_within_days": REVIEW_WARN_DAYS}
    findings = []
    if h.reviewed > today:
        findings.append(s.at(("reviewed",), "fail",
                             f"'reviewed' ({h.reviewed}) is in the future (today is {today})"))
    if days_left < 0:
        findings.append(s.at(("review_by",), "fail",
                             f"review was due on {h.review_by}, {plural(-days_left, 'day')} "
                             "ago: this content must be reviewed before it is given out"))
    elif days_left <= REVIEW_WARN_DAYS:
        findings.append(s.at(("review_by",), "warn",
                             f"review is due on {h.review_by}, in "
                             f"{plural(days_left, 'day')}"))
    status = worst(f.level for f in findings)
    if days_left < 0:
        summary = f"review overdue since {h.review_by} ({plural(-days_left, 'day')})"
    else:
        summary = f"reviewed {h.reviewed}, next review by {h.review_by} " \
                  f"({plural(days_left, 'day')} left)"
    if h.reviewed > today:
        summary += f"; 'reviewed' {h.reviewed} is after today"
    hint = ("have a clinician review the content, then set 'reviewed' to the date of that "
            "review and 'review_by' to the next one (usually a year or two later)")
    return CheckResult("review-dates", status, summary, measured, limits, hint, findings)
