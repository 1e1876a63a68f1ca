"""``handle(event, state) → Plan``: what the bot wants done for one event. Pure, no network.

Per event (DESIGN §5):

- issue opened / edited / reopened from a packman form: validate; one sticky comment (errors or
  a preview); one state label. An edit after approval voids the approval.
- comment ``/packman ...``: approve / reject (maintainers only), recheck, help; anyone else gets
  a reply saying why not.
- the bot's pull request merged: the issues it closed are labelled applied and thanked.
- push to main, schedule, manual dispatch: rebuild the bot branch from main.

Every plan that can change what is approved also carries the rebuilt bot branch, so each run
reconciles the whole state and a cancelled run is repaired by the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from bot import escape, limits, markers
from bot.data import store
from bot.data.model import Dataset
from bot.data.snapshot import Files
from bot.errors import PackmanError
from bot.forms import answers, definition
from bot.forms.kinds import RENDERED, FormKind
from bot.forms.validate import Validation, validate
from bot.review import commands, preview, rebuild, sticky
from bot.review.backend import RepoState
from bot.review.commands import Verb
from bot.review.events import GHOST, Comment, Event, Issue
from bot.review.labels import StateLabel
from bot.review.plan import (
    BOT_BRANCH,
    BotBranch,
    CloseIssue,
    Effect,
    Plan,
    Reply,
    SetState,
    UpsertSticky,
)

WRITERS = frozenset({"admin", "maintain", "write"})
DATA_PATHS = (
    "assessments/",
    "issue_templates/",
    "README.md",
    "pyproject.toml",
    "docs/",
    ".github/ISSUE_TEMPLATE/",
)


@dataclass(frozen=True)
class Context:
    """Values derived once per run from the state."""

    state: RepoState
    """The state."""
    dataset: Dataset
    """main's data."""


def form_kind(issue: Issue, files: Files) -> FormKind | None:
    """Which packman form an issue came from: its form label, else its headings."""
    for kind in FormKind:
        if kind.label.value in issue.labels:
            return kind
    for kind in FormKind:
        form = _form(files, kind)
        headings = [f"### {f.label}" for f in form.fields] if form else []
        if headings and all(h in (issue.body or "") for h in headings):
            return kind
    return None


def _form(files: Files, kind: FormKind) -> definition.Form | None:
    text = files.get(RENDERED / f"{kind.value}.yml")
    return _load_form(text, kind.value) if text else None


@lru_cache(maxsize=16)
def _load_form(text: str, name: str) -> definition.Form:
    """A form read once per text: every open issue's check asks for the same few forms."""
    return definition.load_form(text, name)


def _record(issue: Issue, context: Context) -> sticky.Record:
    """What the bot's own sticky comment on ``issue`` remembers (an empty record if there is
    none); for an issue whose comments were not read, the approval the bot pull request holds."""
    comments = context.state.comments.get(issue.number)
    if comments is None:
        held = context.state.held.get(issue.number)
        return sticky.Record(approval=held) if held else sticky.Record()
    return sticky.read(sticky.find(comments, context.state.bot))


def check(issue: Issue, kind: FormKind, context: Context) -> Validation:
    """Parse and validate an issue's current body."""
    form = _form(context.state.files, kind)
    if form is None:
        raise PackmanError(f"{RENDERED}/{kind.value}.yml is missing on main; run `packman render`")
    return validate(kind, answers.parse_body(form, issue.body), context.dataset)


def handle(event: Event, state: RepoState) -> Plan:
    """The plan for one event."""
    if event.sender == state.bot:
        return Plan(notes=("ignored: the event was caused by the bot itself",))
    route = _ROUTES.get(event.name)
    if route is None:
        return Plan(notes=(f"ignored: {event.name} is not an event packman handles",))
    return route(event, Context(state, store.dataset_from(state.files)))


def _issues_route(event: Event, context: Context) -> Plan:
    if event.issue is None:
        return Plan(notes=("ignored: issues event without an issue",))
    return _issue_event(event, event.issue, context)


def _comment_route(event: Event, context: Context) -> Plan:
    if event.issue is None or event.comment is None:
        return Plan(notes=("ignored: issue_comment event without an issue or a comment",))
    return _comment_event(event, event.issue, event.comment, context)


def _push_route(event: Event, context: Context) -> Plan:
    branch = event.ref == f"refs/heads/{context.state.base}"
    if not branch or (event.paths and not any(p.startswith(DATA_PATHS) for p in event.paths)):
        return Plan(
            notes=(f"ignored: the push to {event.ref} touches no data, template or generated file",)
        )
    return _scheduled_route(event, context)


def _scheduled_route(event: Event, context: Context) -> Plan:
    return Plan(
        (_rebuild(context),), (f"{event.name}: rebuild the bot branch from {context.state.base}",)
    )


# --- issues ------------------------------------------------------------------


def _issue_event(event: Event, issue: Issue, context: Context) -> Plan:
    if event.action not in ("opened", "edited", "reopened", "closed", "transferred", "deleted"):
        return Plan(notes=(f"ignored: issues/{event.action}",))
    kind = form_kind(issue, context.state.files)
    if kind is None:
        return Plan(notes=(f"ignored: issue #{issue.number} is not from a packman form",))
    if event.action in ("transferred", "deleted"):
        return _gone(event, issue, context)
    if event.action in ("opened", "edited") and not issue.open:
        # An applied or rejected issue is settled: an edit (or a recheck) must not relabel it.
        return Plan(notes=(f"ignored: issue #{issue.number} is closed",))
    record = _record(issue, context)
    had_approval = record.approval is not None
    if event.action == "closed":
        rebuilt = (_rebuild(context, without=issue.number),) if had_approval else ()
        return Plan(
            rebuilt,
            (f"issue #{issue.number} closed" + (": rebuild without it" if had_approval else ""),),
        )
    voided = record.approval is not None and record.approval.body_sha256 != sticky.body_hash(
        issue.body
    )
    if voided:
        record = replace(record, approval=None, voided_by_edit=True)
    effects = _refresh(issue, kind, record, context)
    note = f"issue #{issue.number} {event.action}: " + (
        "approval voided by an edit" if voided else "validated"
    )
    # Only an issue that was approved can change what the bot pull request holds.
    rebuilt = (_rebuild(context, without=issue.number if voided else None),) if had_approval else ()
    return Plan((*effects, *rebuilt), (note,))


def _gone(event: Event, issue: Issue, context: Context) -> Plan:
    """A transferred or deleted issue is no longer this repository's: whatever it was, its change
    (and its ``Closes #N``) leaves the bot pull request. Its comments cannot be read any more, so
    the rebuild runs whether or not it was approved; an unchanged branch costs only a look."""
    return Plan(
        (_rebuild(context, without=issue.number),),
        (f"issue #{issue.number} {event.action}: rebuild without it",),
    )


def _refresh(issue: Issue, kind: FormKind, record: sticky.Record, context: Context) -> list[Effect]:
    result = check(issue, kind, context)
    if record.approval is not None and not result.ok:
        record = replace(record, approval=None)
    claims = preview.claims(issue.number, result.change)
    record = replace(
        record,
        claims=tuple((c.registry, c.control, c.status) for c in claims),
        claims_of=sticky.body_hash(issue.body),
    )
    label = (
        StateLabel.NEEDS_CHANGES
        if not result.ok
        else (StateLabel.APPROVED if record.approval else StateLabel.READY)
    )
    if record.rejected is not None:
        label = StateLabel.REJECTED
    text = preview.comment(
        context.dataset, result, _warnings(issue, result, context), _status(record, result)
    )
    record = replace(record, previewed_sha256=sticky.body_hash(issue.body))
    effects: list[Effect] = [
        UpsertSticky(issue.number, sticky.write(text, record)),
        SetState(issue.number, label),
    ]
    # The label only mirrors the record (every open packman issue's record is read), but people
    # read it: set the approved label first, so that a run that stops between the two leaves a
    # label without a record, which approves nothing, rather than an approval that looks waiting.
    return effects[::-1] if label is StateLabel.APPROVED else effects


MAX_FRESH_CLAIMS = 25
"""Other open issues whose claims one event may work out from their bodies; the others' come
from their sticky records (written whenever an issue changes), so an event's work stays bounded
however many issues are open."""


def _warnings(issue: Issue, result: Validation, context: Context) -> list[str]:
    if result.change is None:
        return []
    others, unread = _other_claims(issue, context)
    found = preview.warnings(
        context.dataset, result.change, issue.number, others, context.state.today
    )
    if unread:
        found.append(
            f"{unread} other open issue(s) were not compared with this one: one run reads at "
            f"most {MAX_FRESH_CLAIMS} bodies that have no current bot record."
        )
    return found


def _other_claims(issue: Issue, context: Context) -> tuple[list[preview.Claim], int]:
    """The claims of every other open issue: from its record when that matches its body, else
    from its body (at most MAX_FRESH_CLAIMS of those); and how many were left unread."""
    found: list[preview.Claim] = []
    fresh = unread = 0
    for other in context.state.issues:
        if other.number == issue.number:
            continue
        known = _recorded_claims(other, context)
        if known is not None:
            found += known
        elif fresh < MAX_FRESH_CLAIMS:
            fresh += 1
            found += _claims(other, context)
        else:
            unread += 1
    return found, unread


def _recorded_claims(issue: Issue, context: Context) -> list[preview.Claim] | None:
    """The claims the bot's record on ``issue`` holds for its current body, if it holds any."""
    if not issue.open:
        return []
    record = _record(issue, context)
    if record.claims_of is None or record.claims_of != sticky.body_hash(issue.body):
        return None
    return [preview.Claim(issue.number, *claim) for claim in record.claims]


def _claims(issue: Issue, context: Context) -> list[preview.Claim]:
    kind = form_kind(issue, context.state.files)
    if kind is None or not issue.open:
        return []
    try:
        return preview.claims(issue.number, check(issue, kind, context).change)
    except Exception:  # another issue's problem must not stop this one; claims only warn
        return []


def _status(record: sticky.Record, result: Validation) -> str:
    if record.rejected is not None:
        return f"Rejected by a maintainer: {escape.inline(record.rejected)}"
    if record.approval is not None and result.ok:
        return (
            f"✅ Approved by {escape.inline(record.approval.by)} on {record.approval.date} "
            "for the text of the issue as it is now; it is part of the bot pull request. "
            "Editing the issue voids the approval."
        )
    voided = (
        "An earlier approval was voided because the issue was edited afterwards. "
        if record.voided_by_edit
        else ""
    )
    if not result.ok:
        return voided + "Waiting for the issue to be fixed. Commands: `/packman help`."
    return voided + (
        "Waiting for a maintainer: `/packman approve` (or `/packman approve --allow-downgrade`) "
        "or `/packman reject <reason>`."
    )


# --- comments ----------------------------------------------------------------


def _reply(issue: Issue, comment: Comment, text: str) -> Reply:
    marker = markers.reply(comment.id)
    return Reply(issue.number, marker, limits.fit(f"{marker}\n{text}"))


def _comment_event(event: Event, issue: Issue, comment: Comment, context: Context) -> Plan:
    command = commands.parse(comment.body) if event.action == "created" else None
    if command is None or issue.is_pull_request or comment.author == context.state.bot:
        return Plan(notes=(f"ignored: comment {comment.id} holds no command for packman",))
    kind = form_kind(issue, context.state.files)
    if kind is None:
        return Plan(
            (
                _reply(
                    issue,
                    comment,
                    "packman commands work only on issues opened from a packman form.",
                ),
            ),
            (f"command on issue #{issue.number}, which is not a packman submission",),
        )
    if not issue.open and command.verb is not Verb.HELP:
        text = (
            "This issue is closed, so packman leaves it as it is. "
            "A maintainer can reopen it to have it checked again."
        )
        return Plan((_reply(issue, comment, text),), (f"command on closed issue #{issue.number}",))
    if command.verb is None:
        text = f"I do not know `/packman {escape.inline(command.word)}`.\n\n{commands.HELP}"
        return Plan((_reply(issue, comment, text),), ("unknown command",))
    return _VERBS[command.verb](Request(event, issue, kind, comment, command, context))


@dataclass(frozen=True)
class Request:
    """A command comment on a packman issue, with everything needed to answer it."""

    event: Event
    """The comment event."""
    issue: Issue
    """The issue commented on."""
    kind: FormKind
    """The issue's form."""
    comment: Comment
    """The comment holding the command."""
    command: commands.Command
    """The parsed command."""
    context: Context
    """The run's context."""

    def reply(self, text: str) -> Reply:
        """A reply to the command comment."""
        return _reply(self.issue, self.comment, text)


def _help(request: Request) -> Plan:
    return Plan((request.reply(commands.HELP),), ("help",))


def _recheck(request: Request) -> Plan:
    return _issue_event(
        replace(request.event, name="issues", action="edited"), request.issue, request.context
    )


def _maintainers_only(decide: Callable[[Request], Plan]) -> Callable[[Request], Plan]:
    """Wrap a verb so that only admin, maintain or write permission may use it; others get a
    reply."""

    def guarded(request: Request) -> Plan:
        author, verb = request.comment.author, request.command.word
        # A deleted account ("ghost") decides nothing, whatever a permission list says about that
        # name.
        role = "none" if author == GHOST else request.context.state.permissions.get(author, "none")
        if role in WRITERS:
            return decide(request)
        text = (
            f"Sorry, only maintainers (write, maintain or admin permission) can `{verb}`; "
            f"your permission here is `{escape.inline(role)}`. A maintainer will review this issue."
        )
        return Plan((request.reply(text),), (f"{verb} refused: {author} has permission {role}",))

    return guarded


def _approve(request: Request) -> Plan:
    issue, kind, comment, context = request.issue, request.kind, request.comment, request.context
    result = check(issue, kind, context)
    record = _record(issue, context)
    if request.event.repair and _preview_changed_since(issue, comment, record, context):
        reply = (
            "This command was not answered in time, and my comment above has changed since it was "
            "written, so it may not be what you approved. Read it again and, if it still holds, "
            "approve again."
        )
        return Plan((request.reply(reply),), ("late approve refused: the preview changed since",))
    if not result.ok or result.change is None:
        reply = (
            "I cannot approve this yet: the issue has problems listed in my comment above. "
            "Fix them first."
        )
        return Plan(
            (*_refresh(issue, kind, record, context), request.reply(reply)), ("approve refused",)
        )
    if not sticky.previewed(record, issue.body):
        # The maintainer approves what the preview showed: a body edited since (its run may
        # still be queued) would be approved unseen. Show the current text instead.
        refreshed = _recheck(request)
        return Plan(
            (*refreshed.effects, request.reply(preview.STALE_PREVIEW)),
            ("approve refused: the body changed since the preview", *refreshed.notes),
        )
    lowered = preview.drops(context.dataset, result.change)
    if lowered and not request.command.allow_downgrade:
        reply = (
            f"This change lowers {' and '.join(lowered)}. If that is intended, approve with "
            "`/packman approve --allow-downgrade`."
        )
        return Plan((request.reply(reply),), ("approve refused: a drop without --allow-downgrade",))
    approval = sticky.approval(
        comment.author, issue.body, comment.id, context.state.today, request.command.allow_downgrade
    )
    record = sticky.Record(approval=approval)
    effects = _refresh(issue, kind, record, context)
    reply = (
        f"Approved by {escape.inline(comment.author)}; "
        "the change is now part of the bot pull request."
    )
    extra = {issue.number: (issue, approval)}
    branch = _rebuild(context, extra=extra)
    refused = dict(branch.refused).get(issue.number)
    if refused is not None:
        reply = f"I cannot approve this: {refused}."
        return Plan((request.reply(reply),), (f"approve refused: {refused}",))
    return Plan(
        (*effects, request.reply(reply), branch),
        (f"issue #{issue.number} approved by {comment.author}",),
    )


def _preview_changed_since(
    issue: Issue, comment: Comment, record: sticky.Record, context: Context
) -> bool:
    """True when the bot's sticky comment was rewritten after ``comment`` was written, other than
    by recording this very approval (GitHub gives both times; unknown times count as unchanged)."""
    mine = sticky.find(context.state.comments.get(issue.number, ()), context.state.bot)
    if mine is None or not mine.updated_at or not comment.created_at:
        return False
    recorded_here = record.approval is not None and record.approval.comment_id == comment.id
    return mine.updated_at > comment.created_at and not recorded_here


def _reject(request: Request) -> Plan:
    issue, kind, comment, command, context = (
        request.issue,
        request.kind,
        request.comment,
        request.command,
        request.context,
    )
    if not command.argument:
        reply = "Please give a reason: `/packman reject <reason>`."
        return Plan((request.reply(reply),), ("reject refused: no reason",))
    had_approval = _record(issue, context).approval
    record = sticky.Record(rejected=f"{command.argument} ({comment.author})")
    effects = _refresh(issue, kind, record, context)
    rebuilt = (_rebuild(context, without=issue.number),) if had_approval else ()
    return Plan(
        (*effects, CloseIssue(issue.number, "not_planned"), *rebuilt),
        (f"issue #{issue.number} rejected by {comment.author}",),
    )


# --- pull requests and the bot branch ------------------------------------------


def _pull_event(event: Event, context: Context) -> Plan:
    pull = event.pull
    # Only the bot branch of this very repository: a fork's branch of the same name, or a deleted
    # fork (head.repo null), is somebody else's pull request whatever its body says.
    ours = pull is not None and pull.head == BOT_BRANCH and pull.head_repository == event.repository
    if pull is None or event.action != "closed" or not ours or not pull.merged:
        return Plan(notes=("ignored: not the merge of the bot pull request",))
    numbers = markers.read_issues(pull.body)
    effects: list[Effect] = []
    for number in numbers:
        text = f"Applied in #{pull.number}. Thank you for the contribution!"
        effects += [
            SetState(number, StateLabel.APPLIED),
            Reply(number, markers.applied(pull.number), f"{markers.applied(pull.number)}\n{text}"),
            CloseIssue(number, "completed"),
        ]
    return Plan(
        (*effects, _rebuild(context, without_all=set(numbers))),
        (f"bot pull request #{pull.number} merged: {len(numbers)} issue(s) applied",),
    )


def _approved(context: Context) -> dict[int, tuple[Issue, sticky.ApprovalRecord]]:
    found = {}
    for issue in context.state.issues:
        record = _record(issue, context)
        if (
            issue.open
            and record.approval
            and record.approval.body_sha256 == sticky.body_hash(issue.body)
        ):
            found[issue.number] = (issue, record.approval)
    return found


def _rebuild(
    context: Context,
    *,
    extra: Mapping[int, tuple[Issue, sticky.ApprovalRecord]] | None = None,
    without: int | None = None,
    without_all: set[int] | None = None,
) -> BotBranch:
    approved = {**_approved(context), **(extra or {})}
    skip = (without_all or set()) | ({without} if without else set())
    items = []
    for number, (issue, approval) in sorted(approved.items()):
        kind = form_kind(issue, context.state.files)
        result = check(issue, kind, context) if kind and number not in skip else None
        if result is not None and result.ok and result.change is not None:
            items.append(rebuild.Approved(issue, result.change, approval))
    return rebuild.build(context.state, items, dataset=context.dataset)


_VERBS: dict[Verb, Callable[[Request], Plan]] = {
    Verb.HELP: _help,
    Verb.RECHECK: _recheck,
    Verb.APPROVE: _maintainers_only(_approve),
    Verb.REJECT: _maintainers_only(_reject),
}
_ROUTES: dict[str, Callable[[Event, Context], Plan]] = {
    "issues": _issues_route,
    "issue_comment": _comment_route,
    "pull_request": _pull_event,
    "push": _push_route,
    "schedule": _scheduled_route,
    "workflow_dispatch": _scheduled_route,
}
