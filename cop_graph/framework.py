"""The framework's fixed lists as IRIs, in the order of the framework document.

The ontology (``ontology/framework.ttl``) defines these things and numbers them
(``cop:stepNumber``, ``skos:notation``); code that needs a list in order (a page listing
roles, the analysis of role coverage, the demo and benchmark generators) takes it from here
rather than writing it out again. ``tests/test_framework.py`` checks each list against the
ontology.
"""

from __future__ import annotations

from cop_graph.namespaces import COP

__all__ = ["FRAMEWORK_STEPS", "STEP_STATUSES", "WENGER_ROLES"]

#: Etienne Wenger's seven roles of effective communities (the ``cop:WengerRoles`` collection)
WENGER_ROLES = (
    COP.AgendaActivist,
    COP.CommunityKeeper,
    COP.CriticalFriend,
    COP.ValueDetective,
    COP.ExternalMessenger,
    COP.SocialReporter,
    COP.OrganizationalBroker,
)

#: the seven steps of "Your Community of Purpose Framework", by ``cop:stepNumber``
FRAMEWORK_STEPS = (
    COP.IdentifyPurposeAndScope,
    COP.FindAndInviteMembers,
    COP.CreateTheSpace,
    COP.EstablishNorms,
    COP.NurtureBelonging,
    COP.FacilitateLearning,
    COP.MonitorAndEvaluate,
)

#: how far a community has got with a step, in order
STEP_STATUSES = (COP.NotStarted, COP.InProgress, COP.Established)
