"""The effective routing of one user as a list, in the order :func:`pbx_core.routing.decision.
route_call` tries it: the organisation's required rules, the user's forwarding and call flows,
their own rules, the overridable rules (marked ``replaced`` when an own rule with the same
conditions takes their place) and the fallback. Each entry is a rule in its JSON form with its
``scope``; the built-in rows have ``built_in`` true. Pure: for ``GET /api/v1/me/routing``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pbx_core.routing.decision import CallFlow, call_flow_steps
from pbx_core.routing.rules import Conditions, Rule, Scope, ScopedRule, Step, rule_to_dict

__all__ = ["effective_rules"]


def _entry(
    scope: Scope, rule: Rule, *, replaced: bool = False, built_in: bool = False
) -> dict[str, object]:
    return {
        "scope": scope,
        **rule_to_dict(rule),
        "replaced": replaced,
        "built_in": built_in,
    }


def effective_rules(
    rules: Sequence[ScopedRule],
    *,
    forwarding: str | None,
    call_flows: Mapping[str, CallFlow],
    voicemail: bool,
    delay_s: float,
    flow_delay_s: float = 0.0,
) -> list[dict[str, object]]:
    """Every row that may decide a call to the user, first to last."""
    to_voicemail = (Step(0, "voicemail"),) if voicemail else (Step(0, "refuse"),)
    out = [_entry(r.scope, r.rule) for r in rules if r.scope == "required"]
    if forwarding:
        forward = Rule(Conditions(), (Step(0, "number", forwarding, False),), "Forwarding")
        out.append(_entry("own", forward, built_in=True))
    for status, flow in sorted(call_flows.items()):
        if status == "dnd" or flow.kind == "default":
            continue
        if flow.kind == "forward" and flow.number:
            when = Conditions(statuses=frozenset({status}))
        else:
            when = Conditions(statuses=frozenset({status}), caller_vip=False)
        steps = call_flow_steps(
            flow, voicemail=voicemail, delay_s=delay_s, flow_delay_s=flow_delay_s
        )
        out.append(_entry("own", Rule(when, steps, f"Call flow of {status}"), built_in=True))
    out += [_entry(r.scope, r.rule, replaced=r.replaced) for r in rules if r.scope != "required"]
    ring: tuple[Step, ...] = (Step(0, "all_devices"),)
    if voicemail:
        ring += (Step(delay_s, "voicemail"),)
    dnd = Conditions(statuses=frozenset({"dnd"}), caller_vip=False)
    fallback = (
        Rule(dnd, to_voicemail, "Do not disturb"),
        Rule(Conditions(registered=False), to_voicemail, "No phone registered"),
        Rule(Conditions(), ring, "Ring all devices"),
    )
    out += [_entry("fallback", rule, built_in=True) for rule in fallback]
    return out
