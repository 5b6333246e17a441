"""Claiming: which of the people entitled to a benefit receive it, by degree of alignment.

An entitlement is not a payment. People must be reached, and they must follow the claim
through (Currie 2006 on non-take-up; Bhargava and Manoli 2015 on the information and
hassle costs behind it). The monthly probability that an entitled person who does not
claim yet starts to claim is

    p = willing x [1 - (1 - referred) (1 - own)]

* ``willing``: the household's persistent take-up draw is below the benefit's ``takeup``
  (stigma and hassle, which no regime removes).
* ``referred``: an agency that knows of the entitlement brings the person to the claim.
  It depends on the **eligibility** degree:
  - integration: the single window enrols them with ``benefit_enrolment``;
  - coordination: the shared register flags them with ``sensitivity``, and the referral
    crosses to the benefit agency and is lost with the delivery degree's ``leakage``;
  - cooperation: nobody refers.
  An agency knows of a job loser's UI entitlement (the contribution record), and of a
  household's means-tested entitlement when a member has an open case at the employment
  service or claims UI. This is how alignment runs from the employment service to
  benefits, as well as from benefits to programmes.
* ``own``: the person applies unreferred. They must know of the benefit
  (``informed_digital`` or ``informed_other``) and decide to apply (``self_claim``). Then
  they must get through the **delivery** degree's intakes, dropping off at each repeated one
  (``drop_off``, spared by a shared case history).

The parameters live under ``regime.mechanisms`` (docs/model.md, "Claiming").
"""

from __future__ import annotations

import numpy as np


def _route(model):
    regime = model.cfg.regime
    return getattr(regime.mechanisms.delivery, regime.delivery)


def completion(model) -> float:
    """Share of own applications that get through the delivery degree's intakes."""
    route = _route(model)
    shared = model.cfg.policy.case_management.shared_history
    return float((1.0 - route.drop_off * (1.0 - shared)) ** (route.intakes - 1))


def referral(model) -> float:
    """Monthly probability that an agency brings a known entitled person to the claim."""
    regime = model.cfg.regime
    mech = regime.mechanisms
    if regime.eligibility == "integration":
        return float(mech.eligibility.integration.benefit_enrolment) * completion(model)
    if regime.eligibility == "coordination":
        route = _route(model)
        leakage = route.leakage
        if regime.delivery == "coordination" and route.co_location:
            leakage *= 1.0 - route.co_location_effect
        return float(mech.eligibility.coordination.sensitivity * (1.0 - leakage)) * completion(
            model
        )
    return 0.0


def claim_probability(model, known: np.ndarray, digital: np.ndarray) -> np.ndarray:
    """Monthly probability, before willingness, that each entitled person starts to claim:
    ``known`` says whether an agency knows of the entitlement, ``digital`` whether the person
    (or someone in the household) is digitally literate."""
    coop = model.cfg.regime.mechanisms.eligibility.cooperation
    informed = np.where(digital, coop.informed_digital, coop.informed_other)
    own = coop.self_claim * informed * completion(model)
    referred = np.where(known, referral(model), 0.0)
    return 1.0 - (1.0 - referred) * (1.0 - own)
