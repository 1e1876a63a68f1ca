"""The GitHub backend: the only module that imports PyGithub.

Reads what the handler needs (open issues, comments, a commenter's permission) and
makes GitHub match a plan. Files of main come from the Actions checkout, not
from the API. The bot branch is written through the Git Data API: a tree and a
commit per approved issue, then the one ref ``refs/heads/packman/pending`` is
moved (force) — no other ref is ever written.

Faults: reads and PATCH/DELETE are retried by PyGithub's ``GithubRetry`` (5xx with
a growing pause, rate limits after Retry-After or at the quota's reset), but never past the run's
time budget (``bot/backends/budget.py``): a wait longer than what is left stops the run with one
line saying when to retry. A POST is repeated only
when GitHub refused it for a rate limit (403/429: it was not carried out); after a
5xx or a timeout it may have landed, so it is never repeated blindly: a comment is
posted again only after looking for it by its marker, and the next run (which
reconciles everything) repairs the rest. "Reference already exists" and "pull
request already exists" races fall back to an update. A bot pull request counts as
up to date only when its fingerprint matches and its head is the commit the bot
wrote, so a commit pushed to the bot branch by hand is replaced on the next rebuild.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from github import Auth, Github, GithubException, GithubRetry

from bot import git, markers
from bot.backends import budget as budgets
from bot.data import snapshot
from bot.errors import BackendError
from bot.review import commands, events, reading
from bot.review.backend import FoundBranch, RepoState
from bot.review.events import Comment, Event
from bot.review.labels import LABEL_COLOURS, LABEL_DESCRIPTIONS, StateLabel
from bot.review.plan import BOT_BRANCH, BotBranch
from bot.review.rebuild import pull_body, pull_is_current, rebuilt

Client = Github
"""PyGithub's client, named here so that other backends need not import PyGithub."""
DEFAULT_BOT_LOGIN = "github-actions[bot]"
RECENT = 100
"""How many of the newest comments each run looks through for unanswered commands."""
_ROLES = frozenset({"admin", "maintain", "write", "triage", "read"})
"""GitHub's built-in repository roles; any other ``role_name`` is an organisation's custom role."""


class GitHubError(BackendError):
    """GitHub refused or did not answer one call; the run stops, and the next run repairs what is
    left."""

    def __init__(self, verb: str, path: str, status: int, message: str) -> None:
        self.status = status
        self.message = message
        answer = f"answered {status}" if status else "did not answer"
        super().__init__(
            f"GitHub {answer} to {verb} {path}: {message}; nothing after this step was done, "
            "and the next run will finish it"
        )


class RateLimited(BackendError):
    """GitHub asks the run to wait (a rate limit) longer than the run has left: it stops at once."""

    def __init__(self, verb: str, path: str, status: int, resume: float) -> None:
        self.status = status
        when = budgets.clock_time(resume)
        super().__init__(
            f"GitHub's rate limit is used up (it answered {status} to {verb} {path}) until {when}; "
            "the run stopped there rather than wait past its time, and nothing after this step "
            f"was done: retry after {when} (run the workflow again, or let the next event's run "
            "finish it)"
        )


def rate_limit_wait(headers: Mapping[str, Any]) -> float | None:
    """Seconds GitHub asks a rate-limited client to wait: Retry-After, else until the quota's reset
    when ``X-RateLimit-Remaining`` is 0; None when the answer is no rate limit."""
    found = {str(k).lower(): str(v) for k, v in headers.items()}
    after = found.get("retry-after", "").strip()
    if after.isdigit():
        return float(after)
    if after:
        try:
            return email.utils.parsedate_to_datetime(after).timestamp() - budgets.now()
        except (TypeError, ValueError):
            return None
    reset = found.get("x-ratelimit-reset", "")
    if found.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return int(reset) - budgets.now() + 1  # GitHub's reset second, and the one it falls in
    return None


def _message(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message") or "no message")[:200]
    return str(data or "no message")[:200]


_GAVE_UP = re.compile(r"too many (\d{3}) error responses")


def _no_answer(verb: str, path: str, exc: OSError) -> GitHubError:
    """A connection error or timeout, or (requests' RetryError) the last status after every retry
    failed."""
    gave_up = _GAVE_UP.search(str(exc))
    if gave_up:
        return GitHubError(verb, path, int(gave_up.group(1)), "still failing after every retry")
    return GitHubError(verb, path, 0, f"no answer ({type(exc).__name__})")


class PoliteRetry(GithubRetry):
    """``GithubRetry`` that also repeats a POST, but only one GitHub refused for a rate limit.

    A POST answered 403 or 429 for a rate limit was not carried out, so sending it again after
    Retry-After cannot duplicate a comment, a label or a pull request (a 403 that is not a rate
    limit is raised by ``GithubRetry.increment``). A POST answered 5xx, or not answered, may have
    landed: it is not repeated here.
    """

    def __init__(self, *, budget: budgets.Budget | None = None, **options: Any) -> None:
        self.budget = budget or budgets.from_environment(os.environ)
        super().__init__(**options)

    def new(self, **options: Any) -> PoliteRetry:
        options["budget"] = self.budget
        renewed: PoliteRetry = super().new(**options)
        return renewed

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if method.upper() == "POST":
            return status_code in (403, 429) and super().is_retry(
                "GET", status_code, has_retry_after
            )
        return super().is_retry(method, status_code, has_retry_after)

    def increment(
        self, method: str | None = None, url: str | None = None, *args: Any, **options: Any
    ) -> Any:
        """Refuse, before GithubRetry sleeps, a rate-limit wait that would outlast the budget."""
        response = options.get("response", args[0] if args else None)
        if response is not None and response.status in (403, 429):
            wait = rate_limit_wait(response.headers)
            if wait is not None and not self.budget.allows(wait):
                path = urlsplit(url or "").path
                raise RateLimited(method or "", path, response.status, budgets.now() + wait)
        return super().increment(method, url, *args, **options)


class CallCounter(logging.Handler):
    """Counts the HTTP requests PyGithub makes (it logs each one at DEBUG level)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.calls: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if len(args) >= 4:
            self.calls[f"{args[0]} {_template(str(args[3]))}"] += 1


def _template(url: str) -> str:
    """``/repos/o/r/issues/12/comments?x`` → ``/repos/{owner}/{repo}/issues/{n}/comments``; a
    commit's 40 hex digits → ``{sha}``."""
    parts = urlsplit(url).path.split("/")
    if len(parts) > 3 and parts[1] == "repos":
        parts[2:4] = ["{owner}", "{repo}"]
    return "/".join(_SHA.sub("{sha}", "{n}" if p.isdigit() else p) for p in parts)


_SHA = re.compile(r"\A[0-9a-f]{40}\Z")


@contextmanager
def counting(counter: CallCounter) -> Iterator[CallCounter]:
    """Count PyGithub's requests into ``counter`` while the block runs."""
    logger = logging.getLogger("github.Requester")
    previous, propagate = logger.level, logger.propagate
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # request logs carry headers; keep them out of the job log
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
        logger.propagate = propagate


def client(token: str, *, retry: bool = True, base_url: str | None = None) -> Github:
    """A PyGithub client; ``retry=False`` in tests so that faults surface at once."""
    policy = (
        PoliteRetry(total=5, backoff_factor=0.5, allowed_methods={"GET", "PATCH", "PUT", "DELETE"})
        if retry
        else None
    )
    options: dict[str, Any] = {"base_url": base_url} if base_url else {}
    return Github(
        auth=Auth.Token(token),
        retry=policy,
        per_page=100,
        seconds_between_requests=None,
        seconds_between_writes=None,
        **options,
    )


def request(
    gh: Github, counter: CallCounter, verb: str, path: str, body: Any = None, **params: Any
) -> Any:
    """One REST call (``path`` from the API root), counted; every failure becomes a GitHubError
    naming the call."""
    try:
        with counting(counter):
            _headers, data = gh.requester.requestJsonAndCheck(
                verb, path, parameters=params or None, input=body
            )
    except GithubException as exc:
        wait = rate_limit_wait(exc.headers or {}) if exc.status in (403, 429) else None
        if wait is not None:  # not retried (or retried in vain): say when a retry can work
            raise RateLimited(verb, path, exc.status, budgets.now() + max(wait, 0)) from None
        raise GitHubError(verb, path, exc.status, _message(exc.data)) from None
    # connection errors, timeouts, retries used up (requests' exceptions are OSErrors)
    except OSError as exc:
        raise _no_answer(verb, path, exc) from None
    return data


def environment_client() -> Github:
    """The client an Action run uses: token from PACKMAN_TOKEN (when set) or GITHUB_TOKEN, API from
    GITHUB_API_URL."""
    token = os.environ.get("PACKMAN_TOKEN", "") or os.environ.get("GITHUB_TOKEN", "")
    if not token:
        raise BackendError(
            "neither PACKMAN_TOKEN nor GITHUB_TOKEN is set; packman needs a token to talk to GitHub"
        )
    return client(token, base_url=os.environ.get("GITHUB_API_URL"))


def bot_login(gh: Github) -> str:
    """The login the bot's comments carry, which is how it finds its own sticky comments.

    PACKMAN_BOT_LOGIN when set. Else, with the workflow's own token (no PACKMAN_TOKEN), the
    Actions bot. Else the token's own user (GET /user); a GitHub App installation token has none
    (GitHub refuses GET /user for it), and guessing would make the bot miss its own comments,
    post a new sticky on every run and lose approvals, so the run is refused.
    """
    login = os.environ.get("PACKMAN_BOT_LOGIN", "").strip()
    if login:
        return login
    if not os.environ.get("PACKMAN_TOKEN", ""):
        return DEFAULT_BOT_LOGIN
    try:
        data = request(gh, CallCounter(), "GET", "/user")
    except GitHubError as exc:
        raise BackendError(
            f"PACKMAN_TOKEN is set but PACKMAN_BOT_LOGIN is not, and GitHub does not say whose "
            f"token it is (GET /user answered {exc.status or 'nothing'}; a GitHub App installation "
            "token has no user): set the repository variable PACKMAN_BOT_LOGIN to the login the "
            "token writes as (for a GitHub App, its slug followed by [bot])"
        ) from None
    found = data.get("login") if isinstance(data, dict) else None
    if not isinstance(found, str) or not found:
        raise BackendError("GET /user gave no login; set PACKMAN_BOT_LOGIN to the bot's login")
    return found


def from_environment(event: Event, root: Path, base: str = "main") -> GitHubBackend:
    """The backend an Action run uses: token and login from the environment, repository from the
    event."""
    gh = environment_client()
    return GitHubBackend(gh, event.repository, root, bot=bot_login(gh), base=base)


class GitHubBackend:
    """Reads and writes one repository through the REST API."""

    def __init__(
        self,
        gh: Github,
        repository: str,
        root: Path,
        *,
        bot: str,
        base: str = "main",
        today: dt.date | None = None,
    ) -> None:
        self.gh = gh
        self.repository = repository
        self.root = root
        self.bot = bot
        self.base = base
        self.today = today or dt.date.today()
        self.url = f"/repos/{repository}"
        self.counter = CallCounter()
        self._comments: dict[int, list[dict[str, Any]]] = {}
        self._labels: dict[int, list[str]] = {}
        self._closed: set[int] = set()
        self._labels_ready: set[StateLabel] = set()
        self._base_sha = ""
        self._pull: tuple[dict[str, Any] | None] | None = None
        """The open bot pull request as ``state`` read it (None: not read)."""

    # --- requests ----------------------------------------------------------------

    def _request(self, verb: str, path: str, body: Any = None, **params: Any) -> Any:
        """One REST call; every failure becomes a GitHubError naming the call."""
        return request(self.gh, self.counter, verb, f"{self.url}{path}", body, **params)

    def _pages(self, path: str, **params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in range(1, 101):
            batch = self._request("GET", path, per_page=100, page=page, **params)
            items += batch
            if len(batch) < 100:
                return items
        return items

    # --- state -------------------------------------------------------------------------

    def state(self, event: Event) -> RepoState:
        files = snapshot.from_directory(self.root)
        listed = self._pages("/issues", state="open")
        issues = [events.issue_from(i) for i in listed if "pull_request" not in i]
        for issue in issues:
            self._labels[issue.number] = list(issue.labels)
        gone = event.name == "issues" and event.action in ("transferred", "deleted")
        mine = event.issue if event.issue and not event.issue.is_pull_request and not gone else None
        if mine is not None:
            self._labels.setdefault(mine.number, list(mine.labels))
        # Labels are not authority, and reads stay flat: the records read are those the labels
        # and the bot pull request's approvals marker disagree on (bot/review/reading.py).
        pull = next((i for i in listed if _bot_pull(i, self.bot)), None)
        reads = reading.plan(
            issues,
            files,
            event_issue=mine.number if mine else None,
            pull_body=str(pull.get("body") or "") if pull else None,
        )
        comments = {
            n: tuple(events.comment_from(c) for c in self._comment_data(n))
            for n in sorted(reads.comments)
        }
        return RepoState(
            files=files,
            base=self.base,
            base_sha=self._head(),
            bot=self.bot,
            today=self.today,
            issues=tuple(issues),
            comments=comments,
            permissions=self._permissions(event),
            pending=self._found_branch(pull),
            held=reads.held,
        )

    def _found_branch(self, listed: Mapping[str, Any] | None) -> FoundBranch | None:
        """The open bot pull request's body and the bot branch's head, so that a rebuild can keep
        the commits it already holds. Read (one GET /pulls, which the branch sync then reuses) only
        when the issues listing shows an open pull request of the bot's whose body says what its
        commits hold (``listed``); without one a rebuild builds from main and this costs no call."""
        if listed is None or markers.read_built(str(listed.get("body") or "")) is None:
            return None
        pull = self._open_pull()
        self._pull = (pull,)
        head = (pull or {}).get("head") or {}
        if pull is None or (head.get("repo") or {}).get("full_name") != self.repository:
            return None
        return FoundBranch(str(pull.get("body") or ""), str(head.get("sha") or ""))

    def _head(self) -> str:
        if not self._base_sha:
            self._base_sha = git.run(self.root, "rev-parse", "HEAD").strip()
        return self._base_sha

    def _comment_data(self, issue: int) -> list[dict[str, Any]]:
        if issue not in self._comments:
            self._comments[issue] = self._pages(f"/issues/{issue}/comments")
        return self._comments[issue]

    def _permissions(self, event: Event) -> dict[str, str]:
        command = (
            commands.parse(event.comment.body)
            if event.comment and event.action == "created"
            else None
        )
        if command is None or command.verb not in (commands.Verb.APPROVE, commands.Verb.REJECT):
            return {}
        login = event.comment.author if event.comment else ""
        if (
            login == events.GHOST
        ):  # a deleted account: nobody to ask about, and nobody who may decide
            return {login: "none"}
        try:
            data = self._request("GET", f"/collaborators/{quote(login)}/permission")
        except GitHubError as exc:
            if exc.status != 404:  # 404: not a collaborator
                raise
            return {login: "none"}
        role = str(data.get("role_name") or "")
        if (
            role not in _ROLES
        ):  # a custom role (or none): "permission" holds its base level: admin, write, read, none
            role = str(data.get("permission") or "none")
        return {login: role}

    def recent_comments(self) -> list[tuple[int, Comment]]:
        """The repository's newest comments (one page, newest first), with their issue numbers:
        where a command that no run answered yet shows, since any answer is newer than it."""
        data = self._request(
            "GET", "/issues/comments", sort="created", direction="desc", per_page=RECENT
        )
        found = []
        for item in data if isinstance(data, list) else []:
            number = str(item.get("issue_url") or "").rsplit("/", 1)[-1]
            if number.isdigit():
                found.append((int(number), events.comment_from(item)))
        return found

    # --- issues ----------------------------------------------------------------

    def _find(self, issue: int, marker: str) -> dict[str, Any] | None:
        return next(
            (
                c
                for c in self._comment_data(issue)
                if events.comment_from(c).author == self.bot and marker in (c.get("body") or "")
            ),
            None,
        )

    def upsert_sticky(self, issue: int, body: str) -> str:
        mine = self._find(issue, markers.STICKY)
        if mine is not None and mine.get("body") == body:
            return f"issue #{issue}: sticky comment unchanged"
        if mine is not None:
            mine.update(self._request("PATCH", f"/issues/comments/{mine['id']}", {"body": body}))
            return f"issue #{issue}: sticky comment updated"
        return self._post_comment(issue, markers.STICKY, body, "sticky comment created")

    def reply_once(self, issue: int, marker: str, body: str) -> str:
        if self._find(issue, marker) is not None:
            return f"issue #{issue}: reply already posted"
        return self._post_comment(issue, marker, body, "replied")

    def _post_comment(self, issue: int, marker: str, body: str, done: str) -> str:
        try:
            created = self._request("POST", f"/issues/{issue}/comments", {"body": body})
        except GitHubError as exc:
            if 0 < exc.status < 500:
                raise
            self._comments.pop(issue, None)  # the POST may have landed: look before posting again
            if self._find(issue, marker) is not None:
                return f"issue #{issue}: {done} (found after a failed response)"
            created = self._request("POST", f"/issues/{issue}/comments", {"body": body})
        self._comment_data(issue).append(created)
        return f"issue #{issue}: {done}"

    def set_state_label(self, issue: int, label: StateLabel) -> str:
        current = self._labels.get(issue)
        if current is None:
            data = self._request("GET", f"/issues/{issue}")
            current = [lab["name"] for lab in data.get("labels", [])]
            if data.get("state") == "closed":
                self._closed.add(issue)
        states = {s.value for s in StateLabel}
        if [n for n in current if n in states] == [label.value]:
            return f"issue #{issue}: label '{label.value}' already set"
        for stale in [n for n in current if n in states and n != label.value]:
            try:
                self._request("DELETE", f"/issues/{issue}/labels/{quote(stale, safe='')}")
            except GitHubError as exc:
                if exc.status != 404:  # 404: removed by someone else meanwhile, which is the goal
                    raise
        if label.value not in current:
            self._add_label(issue, label)
        self._labels[issue] = [n for n in current if n not in states] + [label.value]
        return f"issue #{issue}: label '{label.value}'"

    def _add_label(self, issue: int, label: StateLabel) -> None:
        self._ensure_label(label)
        self._request("POST", f"/issues/{issue}/labels", {"labels": [label.value]})

    def _ensure_label(self, label: StateLabel) -> None:
        """Once a run, before the label is first added: the repository has it, with the bot's
        colour and description. GitHub itself would create a missing label grey and without a
        description when it is added to an issue, so the bot creates it first; a label that exists
        without a description (made that way) gets both. A label a maintainer described is left
        as it is."""
        if label in self._labels_ready:
            return
        name = quote(label.value, safe="")
        wanted = {"color": LABEL_COLOURS[label], "description": LABEL_DESCRIPTIONS[label]}
        try:
            found = self._request("GET", f"/labels/{name}")
        except GitHubError as exc:
            if exc.status != 404:
                raise
            found = None
        if found is None:
            try:
                self._request("POST", "/labels", {"name": label.value, **wanted})
            except GitHubError as exc:
                if exc.status != 422:  # 422: created meanwhile
                    raise
        elif not found.get("description"):
            self._request("PATCH", f"/labels/{name}", wanted)
        self._labels_ready.add(label)

    def close_issue(self, issue: int, reason: str) -> str:
        if issue in self._closed:  # e.g. GitHub closed it through "Closes #N" on merge
            return f"issue #{issue}: already closed"
        data = self._request(
            "PATCH", f"/issues/{issue}", {"state": "closed", "state_reason": reason}
        )
        self._closed.add(issue)
        return f"issue #{issue}: closed ({data.get('state_reason') or reason})"

    # --- the bot branch -----------------------------------------------------------------

    def _open_pull(self) -> dict[str, Any] | None:
        owner = self.repository.split("/")[0]
        pulls = self._request(
            "GET", "/pulls", state="open", head=f"{owner}:{BOT_BRANCH}", base=self.base
        )
        return pulls[0] if pulls else None

    def sync_bot_branch(self, branch: BotBranch) -> str:
        pull = self._pull[0] if self._pull is not None else self._open_pull()
        if branch.empty:
            if pull is None:
                return "bot branch: nothing approved, no pull request open"
            self._request("PATCH", f"/pulls/{pull['number']}", {"state": "closed"})
            return f"bot pull request #{pull['number']}: closed (nothing approved)"
        if pull is not None and pull_is_current(
            pull.get("body"), branch, (pull.get("head") or {}).get("sha", "")
        ):
            return f"bot branch and pull request #{pull['number']}: already up to date"
        head = self._commit_chain(branch)
        self._move_ref(head, kept=bool(branch.on))
        return self._upsert_pull(pull, branch, head)

    def _commit_chain(self, branch: BotBranch) -> str:
        """Write the branch's new commits on main, or on the kept head ``branch.on`` (whose tree
        one GET names), through the Git Data API; return the last."""
        if branch.on:
            parent = branch.on
            tree = str(self._request("GET", f"/git/commits/{branch.on}")["tree"]["sha"])
        else:
            parent, tree = self._head(), git.run(self.root, "rev-parse", "HEAD^{tree}").strip()
        for commit in branch.commits:
            entries = [
                {"path": str(path), "mode": "100644", "type": "blob", "content": text}
                for path, text in commit.files.items()
            ]
            tree = self._request("POST", "/git/trees", {"base_tree": tree, "tree": entries})["sha"]
            parent = self._request(
                "POST",
                "/git/commits",
                {"message": commit.message, "tree": tree, "parents": [parent]},
            )["sha"]
        return str(parent)

    def _move_ref(self, sha: str, *, kept: bool = False) -> None:
        """Force-move refs/heads/packman/pending, the one ref the bot writes; create it when it is
        missing. Commits written on ``kept`` ones only go on as a fast-forward: had the branch moved
        since ``state`` read it, they would drop what was pushed meanwhile, so the run stops and the
        next one builds the branch again."""
        try:
            self._request("PATCH", f"/git/refs/heads/{BOT_BRANCH}", {"sha": sha, "force": not kept})
            return
        except GitHubError as exc:
            if kept and exc.status == 422:
                raise BackendError(
                    f"{BOT_BRANCH} moved after this run read it, so its commits cannot be kept "
                    f"(GitHub: {exc.message}); nothing after this step was done, and the next run "
                    "builds the branch again"
                ) from None
            if not _refused(
                exc, "does not exist"
            ):  # any other refusal (a ruleset, an unknown commit) is reported
                raise
        try:
            self._request("POST", "/git/refs", {"ref": f"refs/heads/{BOT_BRANCH}", "sha": sha})
        except GitHubError as race:
            if not _refused(race, "already exists"):  # created by another run meanwhile: move it
                raise
            self._request("PATCH", f"/git/refs/heads/{BOT_BRANCH}", {"sha": sha, "force": True})

    def _upsert_pull(self, pull: dict[str, Any] | None, branch: BotBranch, head: str) -> str:
        fields = {"title": branch.title, "body": pull_body(branch, head)}
        if pull is None:
            try:
                pull = self._request(
                    "POST", "/pulls", {**fields, "head": BOT_BRANCH, "base": self.base}
                )
                return f"{rebuilt(branch)}; pull request #{pull['number']} opened"
            except GitHubError as exc:
                if (
                    exc.status != 422 or (pull := self._open_pull()) is None
                ):  # 422: opened meanwhile
                    raise
        self._request("PATCH", f"/pulls/{pull['number']}", fields)
        return f"{rebuilt(branch)}; pull request #{pull['number']} updated"

    # --- reporting ---------------------------------------------------------------------

    def summary(self) -> None:
        """Print the API calls of this run, and append them to the job summary when in Actions."""
        total = sum(self.counter.calls.values())
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(self.counter.calls.items()))
        line = f"GitHub API calls: {total} ({detail})"
        print(line)
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            with Path(target).open("a", encoding="utf-8") as handle:
                handle.write(f"{line}\n")


def _bot_pull(item: Mapping[str, Any], bot: str) -> bool:
    """True for the bot pull request as the issues listing shows it: opened by ``bot``, its body
    carrying the fingerprint the bot writes into it."""
    author = (item.get("user") or {}).get("login")
    body = str(item.get("body") or "")
    return "pull_request" in item and author == bot and "<!-- packman:fingerprint " in body


def _refused(exc: GitHubError, reason: str) -> bool:
    """True for a 422 whose message says ``reason`` (GitHub's "Reference does not exist", "...
    already exists")."""
    return exc.status == 422 and reason in exc.message.lower()
