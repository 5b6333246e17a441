"""Worker state: the one place where per-worker columns are declared.

Workers are a struct of numpy arrays (Starsim-style), not Python objects, so that a month
for a million workers is a few dozen vectorised operations. Each column is declared once in
``COLUMNS`` with its dtype and meaning; ``Workers`` allocates them all and nothing else adds
per-worker state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Column:
    name: str
    dtype: type
    doc: str


COLUMNS: tuple[Column, ...] = (
    Column("age", np.int16, "age in completed months"),
    Column("sex", np.int8, "Sex: 0 male, 1 female"),
    Column("household", np.int32, "index of the worker's household"),
    Column("skill", np.float32, "skill level in [0, 1] (human capital index)"),
    Column(
        "certified", np.bool_, "skill is certified (formal credential or recognised prior learning)"
    ),
    Column("digital", np.bool_, "digitally literate: can use online service channels"),
    Column("disabled", np.bool_, "has a disability or work injury"),
    Column(
        "carer", np.bool_, "has care responsibilities (may leave temporarily for family reasons)"
    ),
    Column("region", np.int8, "region index"),
    Column("sector", np.int8, "sector of current or most recent job (or of training)"),
    Column("state", np.int8, "State at the start of the month"),
    Column("inactive_reason", np.int8, "InactiveReason while inactive, else 0"),
    Column("last_job", np.int8, "LastJob: formality of current or most recent job"),
    Column("months_in_state", np.int16, "completed months in the current state"),
    Column("spell", np.int16, "months in the current job-seeking spell (unemployed or training)"),
    Column(
        "idle",
        np.int16,
        "months of idle search in the current spell: unemployed and in no programme (scars)",
    ),
    Column("own_account", np.bool_, "informal work is own-account (self-employment), not a job"),
    Column("contrib", np.uint64, "contribution record: bit k set = contributed k+1 months ago"),
    Column("wage", np.float32, "monthly gross wage of the current or most recent job"),
    Column("ui_left", np.int16, "months of unemployment-insurance entitlement left"),
    Column("ui_amount", np.float32, "monthly unemployment-insurance benefit while entitled"),
    Column(
        "ui_pending",
        np.int16,
        "months of an unemployment-insurance entitlement not claimed yet (they run down)",
    ),
    Column("programme", np.int8, "index of the programme the worker is in, -1 none"),
    Column("programme_left", np.int8, "months left in the current programme"),
    Column("referral_prog", np.int8, "programme of a pending referral or waiting list, -1 none"),
    Column("last_programme", np.int8, "programme most recently completed, -1 none"),
    Column("programme_end", np.int16, "month the last programme was completed"),
    Column("participation_end", np.int16, "month the last participation ended (any way), -1 none"),
    Column(
        "denied",
        np.bool_,
        "refused a programme place (not referred for want of one, or not admitted on "
        "arrival) since the person last moved: counted once in the unmet demand",
    ),
    Column(
        "spell_kinds",
        np.uint32,
        "kinds of programme started in the current job-seeking spell (bit: the kind's index)",
    ),
    Column(
        "network",
        np.float32,
        "log hiring-weight bonus from contacts made in a completed subsidised job",
    ),
    Column("subsidy_prog", np.int8, "programme paying a wage subsidy for this job, -1 none"),
    Column("subsidy_left", np.int8, "months of wage subsidy left"),
    Column("pension", np.float32, "monthly pension once retired"),
    Column("referral_due", np.int16, "month a pending referral reaches the provider, -1 none"),
    Column("waiting_since", np.int16, "month the worker joined a provider's waiting list, -1 none"),
    Column(
        "registered",
        np.int8,
        "employment-service case: 0 undecided, 1 open, 2 none, 3 oriented by outreach",
    ),
    Column("profile", np.float32, "profiling score at intake (higher = more at risk of LTU)"),
    Column("iap", np.bool_, "an individual action plan (mutual obligations) is agreed"),
    Column("strikes", np.int8, "consecutive monitored months without job search"),
    Column("sanctioned_until", np.int16, "month until which benefit payment is suspended"),
)

COLUMN_NAMES = tuple(c.name for c in COLUMNS)


class Workers:
    """A fixed-size population of worker slots, one numpy array per column.

    Slots are reused: when a worker dies the slot is re-initialised as a new entrant, so
    the arrays never grow and per-slot random draws line up across configurations
    (common random numbers).
    """

    __slots__ = ("n", *COLUMN_NAMES)

    def __init__(self, n: int) -> None:
        self.n = int(n)
        for col in COLUMNS:
            setattr(self, col.name, np.zeros(self.n, dtype=col.dtype))
        for name in (
            "referral_due",
            "waiting_since",
            "programme",
            "referral_prog",
            "subsidy_prog",
            "last_programme",
            "participation_end",
        ):
            getattr(self, name)[:] = -1

    def nbytes(self) -> int:
        """Bytes held by worker columns (for the memory benchmark)."""
        return sum(getattr(self, c.name).nbytes for c in COLUMNS)

    def contribution_months(self, window: int, idx: np.ndarray | None = None) -> np.ndarray:
        """Months contributed in the last ``window`` months (window <= 64), for all workers
        or for the slots ``idx``."""
        mask = np.uint64((1 << window) - 1) if window < 64 else np.uint64(2**64 - 1)
        record = self.contrib if idx is None else self.contrib[idx]
        return np.bitwise_count(record & mask)
