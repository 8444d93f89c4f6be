"""Legal time over the Colombian calendar, worked out by hand, 2025-2027.

Every expected date below was counted on a paper calendar from the official holiday list, never
by calling the code under test. The rules (DESIGN.md, "Legal rules of the default profile"):

- Business days are Monday to Friday less national holidays (Ley 51 de 1983, which moves most of
  them to the following Monday, and Ley 2578 de 2026, 9 July) and the entity's own closures;
  24 and 31 December are business days.
- A filing at or after the cut-off (17:00 unless the entity says otherwise), or on a day that is
  not a business day, is received the next business day. The term starts the business day after
  reception and the due date is its N-th business day (Ley 1755 de 2015, art. 14; Ley 4 de 1913,
  art. 62).
- Terms in months run on the calendar and move to the next business day when they end on one
  that is not (Ley 4 de 1913, art. 62); a month from 31 January ends on February's last day.

Holidays relied on, each checked against `holidays.country_holidays("CO", years=Y)` by
`test_the_holiday_list_relied_on_is_the_official_one` (o = moved to Monday by Ley 51 de 1983):

2025: Wed 1 Jan; Mon 6 Jan (Reyes, a Monday already); Mon 24 Mar (San José, o); Thu 17 and
      Fri 18 Apr (Holy Week); Thu 1 May; Mon 2 Jun (Ascensión, o); Mon 23 Jun (Corpus, o);
      Mon 30 Jun (Sagrado Corazón and San Pedro, both o, the same day); Sun 20 Jul (fixed);
      Thu 7 Aug (fixed); Mon 18 Aug (Asunción, o); Mon 13 Oct (Día de la Raza, o);
      Mon 3 Nov (Todos los Santos, o); Mon 17 Nov (Independencia de Cartagena, o);
      Mon 8 Dec; Thu 25 Dec.  17 dates, 16 on weekdays, 245 business days.
2026: Thu 1 Jan; Mon 12 Jan (o); Mon 23 Mar (o); Thu 2 and Fri 3 Apr; Fri 1 May;
      Mon 18 May (o); Mon 8 Jun (o); Mon 15 Jun (o); Mon 29 Jun; Mon 13 Jul (9 July, Ley 2578
      de 2026, o); Mon 20 Jul; Fri 7 Aug; Mon 17 Aug (o); Mon 12 Oct; Mon 2 Nov (o);
      Mon 16 Nov (o); Tue 8 Dec; Fri 25 Dec.  19 dates, all on weekdays, 242 business days.
2027: Fri 1 Jan; Mon 11 Jan (o); Mon 22 Mar (o); Thu 25 and Fri 26 Mar; Sat 1 May;
      Mon 10 May (o); Mon 31 May (o); Mon 7 Jun (o); Mon 5 Jul (San Pedro, o); Mon 12 Jul
      (9 July, o); Tue 20 Jul (fixed); Sat 7 Aug (fixed); Mon 16 Aug (o); Mon 18 Oct (o);
      Mon 1 Nov; Mon 15 Nov (o); Wed 8 Dec; Sat 25 Dec.  19 dates, 16 on weekdays,
      245 business days.
2028 (only for the leap-year month): Sat 1 Jan; Mon 10 Jan (o); ...; Tue 29 Feb is a business day.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import holidays
import pytest

from ventanilla.calendars.business import (
    BusinessCalendar,
    add_business_days,
    add_calendar_months,
    business_days_between,
    calendar_for,
    due_date,
    is_business_day,
    next_business_day,
    received_on,
)

BOGOTA = ZoneInfo("America/Bogota")

CO = calendar_for()
# An entity that closes on Friday 26 June 2026 (the day before the San Pedro long weekend).
CLOSED_26_JUNE = calendar_for(closures=frozenset({date(2026, 6, 26)}))
# The same entity rules with an earlier reception cut-off.
CUTOFF_16 = calendar_for(cutoff=time(16, 0))
# A consulate: Colombian holidays, Madrid's clock (CET/CEST), reception until 14:00.
MADRID_14 = calendar_for(cutoff=time(14, 0), timezone="Europe/Madrid")

HOLIDAYS_RELIED_ON: dict[int, set[date]] = {
    2025: {
        date(2025, 1, 1),
        date(2025, 1, 6),
        date(2025, 3, 24),
        date(2025, 4, 17),
        date(2025, 4, 18),
        date(2025, 5, 1),
        date(2025, 6, 2),
        date(2025, 6, 23),
        date(2025, 6, 30),
        date(2025, 7, 20),
        date(2025, 8, 7),
        date(2025, 8, 18),
        date(2025, 10, 13),
        date(2025, 11, 3),
        date(2025, 11, 17),
        date(2025, 12, 8),
        date(2025, 12, 25),
    },
    2026: {
        date(2026, 1, 1),
        date(2026, 1, 12),
        date(2026, 3, 23),
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 5, 1),
        date(2026, 5, 18),
        date(2026, 6, 8),
        date(2026, 6, 15),
        date(2026, 6, 29),
        date(2026, 7, 13),
        date(2026, 7, 20),
        date(2026, 8, 7),
        date(2026, 8, 17),
        date(2026, 10, 12),
        date(2026, 11, 2),
        date(2026, 11, 16),
        date(2026, 12, 8),
        date(2026, 12, 25),
    },
    2027: {
        date(2027, 1, 1),
        date(2027, 1, 11),
        date(2027, 3, 22),
        date(2027, 3, 25),
        date(2027, 3, 26),
        date(2027, 5, 1),
        date(2027, 5, 10),
        date(2027, 5, 31),
        date(2027, 6, 7),
        date(2027, 7, 5),
        date(2027, 7, 12),
        date(2027, 7, 20),
        date(2027, 8, 7),
        date(2027, 8, 16),
        date(2027, 10, 18),
        date(2027, 11, 1),
        date(2027, 11, 15),
        date(2027, 12, 8),
        date(2027, 12, 25),
    },
}


def at(value: str) -> datetime:
    """An aware datetime; without an offset, Bogotá's wall clock."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=BOGOTA)


@pytest.mark.parametrize("year", sorted(HOLIDAYS_RELIED_ON))
def test_the_holiday_list_relied_on_is_the_official_one(year: int) -> None:
    assert set(holidays.country_holidays("CO", years=year)) == HOLIDAYS_RELIED_ON[year]


# Filed at (Bogotá time unless an offset is given), term in business days, calendar → due date.
# The comment under each case is the hand count: R = received, then the term's days 1, 2, ...
DUE_DATES = [
    # --- The example and the cut-off (exclusive: at 17:00 it is after hours) ---
    pytest.param(
        "2026-03-27T10:00-05:00", 10, CO, date(2026, 4, 14), id="issue-example-over-holy-week-2026"
    ),
    # R Fri 27 Mar; Mon 30 (1), 31 (2), 1 Apr (3), Holy Thu 2 and Fri 3 off, 6-10 (4-8),
    # 13 (9), 14 (10).
    pytest.param("2026-03-27T16:59", 10, CO, date(2026, 4, 14), id="at-16h59-same-day"),
    pytest.param("2026-03-27T16:59:59", 10, CO, date(2026, 4, 14), id="at-16h59m59s-same-day"),
    pytest.param("2026-03-27T17:00", 10, CO, date(2026, 4, 15), id="at-17h00-next-day"),
    # R Mon 30 Mar; 31 (1), 1 Apr (2), 6-10 (3-7), 13 (8), 14 (9), 15 (10).
    pytest.param("2026-03-27T23:59", 10, CO, date(2026, 4, 15), id="at-23h59-next-day"),
    pytest.param("2026-03-28T09:00", 10, CO, date(2026, 4, 15), id="on-a-saturday"),
    pytest.param("2026-03-29T12:00", 10, CO, date(2026, 4, 15), id="on-a-sunday"),
    pytest.param("2026-03-27T21:59:59+00:00", 10, CO, date(2026, 4, 14), id="utc-16h59-bogota"),
    pytest.param("2026-03-27T22:00:00+00:00", 10, CO, date(2026, 4, 15), id="utc-17h00-bogota"),
    # --- Holy Week ---
    pytest.param("2025-04-16T09:00", 10, CO, date(2025, 5, 5), id="holy-week-and-may-day-2025"),
    # R Wed 16 Apr; Thu 17, Fri 18 off; 21-25 (1-5), 28-30 (6-8), Thu 1 May off, 2 (9), 5 (10).
    pytest.param("2025-04-17T10:00", 5, CO, date(2025, 4, 28), id="on-holy-thursday-2025"),
    # R Mon 21 Apr; 22-25 (1-4), 28 (5).
    pytest.param("2026-04-03T11:00", 15, CO, date(2026, 4, 27), id="on-good-friday-2026"),
    # R Mon 6 Apr; 7-10 (1-4), 13-17 (5-9), 20-24 (10-14), 27 (15).
    pytest.param("2027-03-24T18:00", 10, CO, date(2027, 4, 12), id="after-hours-before-holy-week"),
    # R Mon 29 Mar 2027 (Thu 25, Fri 26 off); 30, 31, 1 Apr, 2 (1-4), 5-9 (5-9), 12 (10).
    pytest.param("2027-03-19T10:00", 5, CO, date(2027, 3, 31), id="san-jose-and-holy-week-2027"),
    # 19 Mar 2027 works (San José moved to Mon 22). R Fri 19; Mon 22 off, 23 (1), 24 (2),
    # Thu 25, Fri 26 off, 29 (3), 30 (4), 31 (5).
    # --- Emiliani Mondays (Ley 51 de 1983) ---
    pytest.param("2026-01-06T10:00", 5, CO, date(2026, 1, 14), id="6-january-moved-to-12-2026"),
    # Tue 6 Jan works. R Tue 6; 7, 8, 9 (1-3), Mon 12 off, 13 (4), 14 (5).
    pytest.param("2025-03-21T16:59", 1, CO, date(2025, 3, 25), id="san-jose-24-march-2025"),
    # R Fri 21; Mon 24 off, Tue 25 (1).
    pytest.param("2025-03-21T17:00", 1, CO, date(2025, 3, 26), id="san-jose-2025-after-hours"),
    # R Tue 25 (Mon 24 off); Wed 26 (1).
    pytest.param("2026-03-20T10:00", 3, CO, date(2026, 3, 26), id="san-jose-23-march-2026"),
    # R Fri 20; Mon 23 off, 24-26 (1-3).
    pytest.param("2025-06-20T10:00", 10, CO, date(2025, 7, 8), id="corpus-and-30-june-2025"),
    # R Fri 20 Jun; Mon 23 off, 24-27 (1-4), Mon 30 off, 1-4 Jul (5-8), 7 (9), 8 (10).
    pytest.param("2025-06-27T10:00", 2, CO, date(2025, 7, 2), id="double-holiday-30-june-2025"),
    # Sagrado Corazón's own Friday works. R Fri 27; Mon 30 off, 1 Jul (1), 2 (2).
    pytest.param("2026-06-26T10:00", 1, CO, date(2026, 6, 30), id="san-pedro-29-june-2026"),
    # R Fri 26; Mon 29 off, Tue 30 (1).
    pytest.param("2027-06-29T10:00", 10, CO, date(2027, 7, 15), id="29-june-and-9-july-2027"),
    # Tue 29 Jun 2027 works (San Pedro moved to Mon 5 Jul). R Tue 29; 30, 1 Jul, 2 (1-3),
    # Mon 5 off, 6, 7, 8 (4-6), Fri 9 works (7), Mon 12 off (9 July), 13 (8), 14 (9), 15 (10).
    pytest.param("2026-07-09T10:00", 3, CO, date(2026, 7, 15), id="9-july-2026-observed-13"),
    # Ley 2578 de 2026: Thu 9 Jul works, its holiday is Mon 13. R Thu 9; Fri 10 (1), Mon 13
    # off, 14 (2), 15 (3).
    pytest.param("2026-07-10T10:00", 5, CO, date(2026, 7, 21), id="13-and-20-july-2026"),
    # R Fri 10; Mon 13 off, 14-17 (1-4), Mon 20 off, Tue 21 (5).
    pytest.param("2027-07-09T10:00", 2, CO, date(2027, 7, 14), id="9-july-2027-observed-12"),
    # R Fri 9; Mon 12 off, 13 (1), 14 (2).
    pytest.param("2025-07-18T10:00", 1, CO, date(2025, 7, 21), id="20-july-fixed-on-sunday-2025"),
    # 20 Jul 2025 is a Sunday and is not moved: Mon 21 works. R Fri 18; Mon 21 (1).
    pytest.param("2027-07-19T10:00", 1, CO, date(2027, 7, 21), id="20-july-fixed-on-tuesday"),
    # R Mon 19 Jul 2027; Tue 20 off (not moved), Wed 21 (1).
    pytest.param("2025-08-06T10:00", 2, CO, date(2025, 8, 11), id="7-august-fixed-2025"),
    # R Wed 6; Thu 7 off, Fri 8 (1), Mon 11 (2).
    pytest.param("2026-08-06T10:00", 6, CO, date(2026, 8, 18), id="7-and-17-august-2026"),
    # R Thu 6; Fri 7 off, 10-14 (1-5), Mon 17 off (Asunción), Tue 18 (6).
    pytest.param("2027-08-06T10:00", 1, CO, date(2027, 8, 9), id="7-august-on-saturday-2027"),
    # Sat 7 Aug 2027 is not moved: Mon 9 works. R Fri 6; Mon 9 (1).
    pytest.param("2025-08-15T10:00", 1, CO, date(2025, 8, 19), id="asuncion-18-august-2025"),
    # Fri 15 Aug works (moved). R Fri 15; Mon 18 off, Tue 19 (1).
    pytest.param("2025-10-12T10:00", 5, CO, date(2025, 10, 21), id="sunday-before-13-october"),
    # Sun 12 Oct: R Tue 14 (Mon 13 off); 15-17 (1-3), 20 (4), 21 (5).
    pytest.param("2026-10-09T17:00", 10, CO, date(2026, 10, 27), id="12-october-2026-at-cutoff"),
    # At the cut-off on Fri 9: R Tue 13 (Mon 12 off); 14-16 (1-3), 19-23 (4-8), 26 (9), 27 (10).
    pytest.param("2025-10-31T10:00", 15, CO, date(2025, 11, 25), id="3-and-17-november-2025"),
    # R Fri 31 Oct; Mon 3 off, 4-7 (1-4), 10-14 (5-9; Tue 11 works, moved), Mon 17 off,
    # 18-21 (10-13), 24 (14), 25 (15).
    pytest.param("2026-10-30T10:00", 15, CO, date(2026, 11, 24), id="2-and-16-november-2026"),
    # R Fri 30 Oct; Mon 2 off, 3-6 (1-4), 9-13 (5-9), Mon 16 off, 17-20 (10-13), 23 (14),
    # 24 (15).
    pytest.param("2026-04-30T17:00", 1, CO, date(2026, 5, 5), id="may-day-2026-after-hours"),
    # R Mon 4 May (Fri 1 May off); Tue 5 (1).
    # --- Christmas and New Year: 24 and 31 December are business days ---
    pytest.param("2026-12-07T10:00", 2, CO, date(2026, 12, 10), id="8-december-2026"),
    # R Mon 7; Tue 8 off, 9 (1), 10 (2).
    pytest.param("2026-12-23T16:00", 5, CO, date(2026, 12, 31), id="24-and-31-december-count"),
    # R Wed 23; Thu 24 (1), Fri 25 off, 28-31 (2-5).
    pytest.param("2026-12-23T16:00", 6, CO, date(2027, 1, 4), id="over-new-year-2027"),
    # ... Fri 1 Jan 2027 off, Mon 4 (6).
    pytest.param("2026-12-24T10:00", 1, CO, date(2026, 12, 28), id="on-christmas-eve"),
    # R Thu 24 (it works); Fri 25 off, Mon 28 (1).
    pytest.param("2026-12-24T17:30", 1, CO, date(2026, 12, 29), id="christmas-eve-after-hours"),
    # R Mon 28 (Fri 25 off); Tue 29 (1).
    pytest.param("2026-12-25T10:00", 1, CO, date(2026, 12, 29), id="on-christmas-day"),
    pytest.param("2026-12-31T16:59", 1, CO, date(2027, 1, 4), id="new-years-eve-before-cutoff"),
    # R Thu 31 Dec; Fri 1 Jan off, Mon 4 (1).
    pytest.param("2026-12-31T17:00", 1, CO, date(2027, 1, 5), id="new-years-eve-at-cutoff"),
    # R Mon 4 Jan 2027; Tue 5 (1).
    pytest.param("2025-12-23T17:00", 3, CO, date(2025, 12, 30), id="christmas-2025-after-hours"),
    # R Wed 24 Dec 2025; Thu 25 off, Fri 26 (1), 29 (2), 30 (3).
    pytest.param("2025-12-23T17:00", 5, CO, date(2026, 1, 2), id="new-year-2026"),
    # ... 31 (4), Thu 1 Jan off, Fri 2 (5).
    pytest.param("2027-12-24T10:00", 6, CO, date(2028, 1, 3), id="christmas-2027-on-saturday"),
    # Sat 25 Dec 2027 and Sat 1 Jan 2028 are not moved. R Fri 24; 27-31 (1-5), Mon 3 Jan (6).
    # --- Ley 1755 de 2015, art. 14: 15 days (general), 10 (documents), 30 (consultations) ---
    pytest.param("2025-12-01T09:00", 15, CO, date(2025, 12, 23), id="petition-15-days-december"),
    # R Mon 1 Dec 2025; 2-5 (1-4), Mon 8 off, 9-12 (5-8), 15-19 (9-13), 22 (14), 23 (15).
    pytest.param("2025-12-01T09:00", 30, CO, date(2026, 1, 16), id="consultation-30-days-new-year"),
    # ... 24 (16), Thu 25 off, 26 (17), 29-31 (18-20), Thu 1 Jan off, 2 (21), 5-9 (22-26),
    # Mon 12 off, 13-16 (27-30).
    pytest.param("2026-10-01T10:00", 30, CO, date(2026, 11, 17), id="consultation-30-days-october"),
    # R Thu 1 Oct; 2 (1), 5-9 (2-6), Mon 12 off, 13-16 (7-10), 19-23 (11-15), 26-30 (16-20),
    # Mon 2 Nov off, 3-6 (21-24), 9-13 (25-29), Mon 16 off, Tue 17 (30).
    pytest.param("2026-03-27T10:00", 0, CO, date(2026, 3, 27), id="zero-days-is-the-reception"),
    # --- An entity's own closure ---
    pytest.param("2026-06-25T10:00", 3, CO, date(2026, 7, 1), id="without-the-closure"),
    # R Thu 25 Jun; Fri 26 (1), Mon 29 off, 30 (2), 1 Jul (3).
    pytest.param("2026-06-25T10:00", 3, CLOSED_26_JUNE, date(2026, 7, 2), id="closure-shifts"),
    # R Thu 25; Fri 26 closed, Mon 29 off, 30 (1), 1 Jul (2), 2 (3).
    pytest.param("2026-06-26T10:00", 1, CLOSED_26_JUNE, date(2026, 7, 1), id="filed-on-closure"),
    # R Tue 30 Jun (Fri 26 closed, Mon 29 off); Wed 1 Jul (1).
    # --- Another cut-off and another time zone ---
    pytest.param("2026-03-27T15:59", 10, CUTOFF_16, date(2026, 4, 14), id="cutoff-16h-before"),
    pytest.param("2026-03-27T16:30", 10, CUTOFF_16, date(2026, 4, 15), id="cutoff-16h-after"),
    pytest.param("2026-03-27T13:59+01:00", 10, MADRID_14, date(2026, 4, 14), id="madrid-13h59-cet"),
    pytest.param("2026-03-27T14:00+01:00", 10, MADRID_14, date(2026, 4, 15), id="madrid-14h00"),
    pytest.param(
        "2026-03-27T08:30-05:00", 10, MADRID_14, date(2026, 4, 15), id="madrid-is-14h30-already"
    ),
    # 08:30 in Bogotá is 14:30 in Madrid (CET, UTC+1 until Sun 29 Mar 2026): after hours there.
    pytest.param("2026-04-06T13:30+02:00", 1, MADRID_14, date(2026, 4, 7), id="madrid-summer-time"),
    # Mon 6 Apr, 13:30 CEST: before the cut-off. R Mon 6; Tue 7 (1).
    pytest.param(
        "2026-04-06T07:30-05:00", 1, MADRID_14, date(2026, 4, 8), id="madrid-summer-after-hours"
    ),
    # 07:30 in Bogotá is 14:30 CEST: R Tue 7; Wed 8 (1).
]


@pytest.mark.parametrize(("filed_at", "days", "calendar", "expected"), DUE_DATES)
def test_due_date_is_the_nth_business_day_after_reception(
    filed_at: str, days: int, calendar: BusinessCalendar, expected: date
) -> None:
    assert due_date(at(filed_at), days, calendar) == expected


RECEPTIONS = [
    pytest.param("2026-03-27T10:00", CO, date(2026, 3, 27), id="business-day-morning"),
    pytest.param("2026-03-27T00:00", CO, date(2026, 3, 27), id="business-day-midnight"),
    pytest.param("2026-03-27T16:59", CO, date(2026, 3, 27), id="one-minute-before-cutoff"),
    pytest.param("2026-03-27T17:00", CO, date(2026, 3, 30), id="at-cutoff-friday-to-monday"),
    pytest.param("2026-03-26T17:00", CO, date(2026, 3, 27), id="at-cutoff-thursday-to-friday"),
    pytest.param("2026-03-28T09:00", CO, date(2026, 3, 30), id="saturday"),
    pytest.param("2026-03-29T23:59", CO, date(2026, 3, 30), id="sunday-night"),
    pytest.param("2026-03-30T00:00", CO, date(2026, 3, 30), id="monday-midnight"),
    pytest.param("2026-04-01T17:00", CO, date(2026, 4, 6), id="after-hours-before-holy-week"),
    pytest.param("2026-04-02T09:00", CO, date(2026, 4, 6), id="holy-thursday-2026"),
    pytest.param("2027-03-26T09:00", CO, date(2027, 3, 29), id="good-friday-2027"),
    pytest.param("2025-01-06T09:00", CO, date(2025, 1, 7), id="6-january-2025-is-a-monday"),
    pytest.param("2026-01-06T09:00", CO, date(2026, 1, 6), id="6-january-2026-works"),
    pytest.param("2026-01-09T17:00", CO, date(2026, 1, 13), id="friday-evening-before-reyes"),
    pytest.param("2027-01-11T09:00", CO, date(2027, 1, 12), id="reyes-observed-11-january"),
    pytest.param("2026-07-13T09:00", CO, date(2026, 7, 14), id="9-july-observed-2026"),
    pytest.param("2027-07-12T09:00", CO, date(2027, 7, 13), id="9-july-observed-2027"),
    pytest.param("2026-07-20T08:00", CO, date(2026, 7, 21), id="independence-day"),
    pytest.param("2025-08-07T08:00", CO, date(2025, 8, 8), id="boyaca-7-august"),
    pytest.param("2026-08-15T10:00", CO, date(2026, 8, 18), id="saturday-15-august-2026"),
    pytest.param("2027-12-08T09:00", CO, date(2027, 12, 9), id="8-december-2027"),
    pytest.param("2026-12-24T10:00", CO, date(2026, 12, 24), id="24-december-works"),
    pytest.param("2026-12-25T10:00", CO, date(2026, 12, 28), id="christmas-day"),
    pytest.param("2026-12-31T10:00", CO, date(2026, 12, 31), id="31-december-works"),
    pytest.param("2027-01-01T10:00", CO, date(2027, 1, 4), id="new-years-day"),
    pytest.param("2026-06-26T10:00", CLOSED_26_JUNE, date(2026, 6, 30), id="closure-day"),
    # The entity's clock decides, not the filer's: 06:00 in Tokyo on Saturday is Friday 16:00
    # in Bogotá.
    pytest.param("2026-03-28T06:00+09:00", CO, date(2026, 3, 27), id="tokyo-saturday"),
    pytest.param("2026-03-28T03:00+00:00", CO, date(2026, 3, 30), id="utc-saturday-bogota-22h"),
    pytest.param("2026-03-27T13:59+01:00", MADRID_14, date(2026, 3, 27), id="madrid-before"),
    pytest.param("2026-03-27T14:00+01:00", MADRID_14, date(2026, 3, 30), id="madrid-at-cutoff"),
    # 20:00 in Bogotá on Sunday 22 Mar is 02:00 Monday in Madrid, a Colombian holiday (San José).
    pytest.param("2026-03-22T20:00-05:00", MADRID_14, date(2026, 3, 24), id="madrid-holiday"),
]


@pytest.mark.parametrize(("filed_at", "calendar", "expected"), RECEPTIONS)
def test_filing_is_received_that_day_or_the_next_business_day(
    filed_at: str, calendar: BusinessCalendar, expected: date
) -> None:
    assert received_on(at(filed_at), calendar) == expected


def test_filing_after_cutoff_is_received_next_business_day() -> None:
    assert received_on(at("2026-03-26T16:59:59.999999"), CO) == date(2026, 3, 26)
    assert received_on(at("2026-03-26T17:00"), CO) == date(2026, 3, 27)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 12, 24), True, id="24-december"),
        pytest.param(date(2026, 12, 31), True, id="31-december"),
        pytest.param(date(2026, 12, 25), False, id="25-december"),
        pytest.param(date(2027, 1, 1), False, id="1-january"),
        pytest.param(date(2026, 12, 8), False, id="8-december"),
        pytest.param(date(2026, 7, 9), True, id="9-july-2026-itself-works"),
        pytest.param(date(2026, 7, 13), False, id="9-july-2026-observed"),
        pytest.param(date(2027, 7, 12), False, id="9-july-2027-observed"),
        pytest.param(date(2025, 11, 11), True, id="11-november-2025-moved"),
        pytest.param(date(2026, 3, 28), False, id="saturday"),
        pytest.param(date(2026, 3, 29), False, id="sunday"),
        pytest.param(date(2026, 3, 30), True, id="monday"),
    ],
)
def test_business_days_are_weekdays_without_holidays(day: date, expected: bool) -> None:
    assert is_business_day(day, CO) is expected


def test_an_entity_closure_is_not_a_business_day() -> None:
    assert is_business_day(date(2026, 6, 26), CO)
    assert not is_business_day(date(2026, 6, 26), CLOSED_26_JUNE)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        pytest.param(date(2024, 12, 31), date(2025, 12, 31), 245, id="2025"),
        pytest.param(date(2025, 12, 31), date(2026, 12, 31), 242, id="2026"),
        pytest.param(date(2026, 12, 31), date(2027, 12, 31), 245, id="2027"),
    ],
)
def test_business_days_in_a_year(first: date, last: date, expected: int) -> None:
    # 261 weekdays each year, less the holidays that fall on weekdays (16, 19, 16).
    assert business_days_between(first, last, CO) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(date(2026, 3, 27), date(2026, 4, 14), 10, id="the-issue-example"),
        pytest.param(date(2026, 4, 14), date(2026, 3, 27), -10, id="the-issue-example-back"),
        pytest.param(date(2026, 3, 27), date(2026, 3, 27), 0, id="same-day"),
        pytest.param(date(2026, 4, 2), date(2026, 4, 5), 0, id="holy-thursday-to-easter"),
        pytest.param(date(2026, 7, 10), date(2026, 7, 21), 5, id="two-july-mondays"),
        pytest.param(date(2025, 12, 31), date(2026, 1, 2), 1, id="over-new-year"),
        pytest.param(date(2026, 12, 23), date(2027, 1, 4), 6, id="christmas-to-new-year"),
        pytest.param(date(2027, 1, 4), date(2026, 12, 23), -6, id="back-over-new-year"),
        pytest.param(date(2025, 12, 1), date(2026, 1, 16), 30, id="thirty-over-new-year"),
        # `start` never counts and `end` does, in both directions, as in add_business_days.
        pytest.param(date(2026, 3, 27), date(2026, 3, 28), 0, id="friday-to-saturday"),
        pytest.param(date(2026, 3, 28), date(2026, 3, 27), -1, id="saturday-back-to-friday"),
        pytest.param(date(2026, 4, 5), date(2026, 4, 1), -1, id="easter-back-to-wednesday"),
    ],
)
def test_business_days_between_counts_after_start_up_to_end(
    start: date, end: date, expected: int
) -> None:
    assert business_days_between(start, end, CO) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        pytest.param(date(2026, 3, 28), 0, date(2026, 3, 28), id="zero-is-the-start-itself"),
        pytest.param(date(2026, 3, 27), 1, date(2026, 3, 30), id="friday-plus-one"),
        pytest.param(date(2026, 4, 1), 1, date(2026, 4, 6), id="over-holy-week"),
        pytest.param(date(2026, 4, 6), -1, date(2026, 4, 1), id="back-over-holy-week"),
        pytest.param(date(2026, 3, 28), -1, date(2026, 3, 27), id="saturday-minus-one"),
        pytest.param(date(2026, 4, 5), -1, date(2026, 4, 1), id="easter-sunday-minus-one"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 4), id="into-2027"),
        pytest.param(date(2027, 1, 4), -1, date(2026, 12, 31), id="back-into-2026"),
        pytest.param(date(2026, 1, 2), -1, date(2025, 12, 31), id="back-over-1-january"),
        pytest.param(date(2026, 1, 5), -3, date(2025, 12, 30), id="three-back-into-2025"),
        # 2 January is 2026's first business day, so 241 more remain in the year.
        pytest.param(date(2026, 1, 2), 242, date(2027, 1, 4), id="a-whole-year-on"),
        pytest.param(date(2027, 1, 4), -242, date(2026, 1, 2), id="a-whole-year-back"),
        # 242 business days in 2026 and 245 in 2027; 31 December works in both.
        pytest.param(date(2025, 12, 31), 487, date(2027, 12, 31), id="two-years-on"),
        pytest.param(date(2027, 12, 31), -487, date(2025, 12, 31), id="two-years-back"),
    ],
)
def test_add_business_days_skips_days_off_both_ways(start: date, days: int, expected: date) -> None:
    assert add_business_days(start, days, CO) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2025, 1, 31), 1, date(2025, 2, 28), id="31-jan-2025-to-friday-28-feb"),
        pytest.param(date(2026, 1, 31), 1, date(2026, 3, 2), id="31-jan-2026-saturday-to-monday"),
        pytest.param(date(2027, 1, 31), 1, date(2027, 3, 1), id="31-jan-2027-sunday-to-monday"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="31-jan-2028-leap-day"),
        pytest.param(date(2027, 8, 30), 6, date(2028, 2, 29), id="30-aug-to-leap-day"),
        pytest.param(date(2028, 2, 29), 12, date(2029, 2, 28), id="leap-day-plus-a-year"),
        pytest.param(date(2026, 9, 12), 1, date(2026, 10, 13), id="ends-on-12-october-holiday"),
        pytest.param(date(2025, 10, 2), 1, date(2025, 11, 4), id="ends-sunday-before-holiday"),
        pytest.param(date(2026, 3, 3), 1, date(2026, 4, 6), id="ends-on-good-friday"),
        pytest.param(date(2026, 6, 13), 1, date(2026, 7, 14), id="ends-on-9-july-observed"),
        pytest.param(date(2026, 6, 9), 1, date(2026, 7, 9), id="9-july-itself-works"),
        pytest.param(date(2026, 11, 24), 1, date(2026, 12, 24), id="ends-on-24-december"),
        pytest.param(date(2026, 11, 25), 1, date(2026, 12, 28), id="ends-on-christmas"),
        pytest.param(date(2026, 11, 30), 2, date(2027, 2, 1), id="over-the-year-onto-saturday"),
        pytest.param(date(2026, 7, 13), 0, date(2026, 7, 14), id="zero-months-from-a-holiday"),
    ],
)
def test_calendar_months_end_on_the_next_business_day(
    start: date, months: int, expected: date
) -> None:
    assert add_calendar_months(start, months, CO) == expected


def test_next_business_day_keeps_a_business_day_and_moves_a_day_off() -> None:
    assert next_business_day(date(2026, 12, 24), CO) == date(2026, 12, 24)
    assert next_business_day(date(2026, 12, 25), CO) == date(2026, 12, 28)
    assert next_business_day(date(2026, 6, 26), CLOSED_26_JUNE) == date(2026, 6, 30)


def test_calendar_for_shares_one_calendar_per_configuration() -> None:
    assert calendar_for() is CO
    assert calendar_for(cutoff=time(16, 0)) is CUTOFF_16
    assert calendar_for(closures=frozenset({date(2026, 6, 26)})) is not CO


def test_naive_filing_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        received_on(datetime(2026, 3, 27, 10, 0), CO)
    with pytest.raises(ValueError, match="timezone-aware"):
        due_date(datetime(2026, 3, 27, 10, 0), 10, CO)


def test_negative_term_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        due_date(at("2026-03-27T10:00"), -1, CO)


def test_year_outside_the_supported_range_is_refused() -> None:
    with pytest.raises(ValueError, match="supported range"):
        is_business_day(date(1900, 1, 1), CO)
