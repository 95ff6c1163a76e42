"""Versioned prompt files (``prompts/<id>-v<version>/``) and the chat messages built from them.

The criteria are untrusted third-party text. They reach the model only as JSON data between fixed delimiter
lines, rendered into our templates as values (Jinja2 ``SandboxedEnvironment``, ``StrictUndefined``), never as
template source or instructions.

One more guard is needed because of instructor: whenever a validation ``context`` is passed (we pass the
criterion ids), instructor 1.17 renders *every message* as a Jinja2 template with that context
(``instructor/v2/core/templating.py: handle_templating``). A criterion containing ``{{`` or ``{%`` would then be
evaluated or break the call. So every brace inside a JSON string is written as ``\\u007b``/``\\u007d`` (the same
JSON value), and ``build`` refuses messages that still contain a Jinja opener.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, ValidationError

from translator.domain import Criterion
from translator.errors import ConfigError
from translator.translate.schema import PlainTranslation, criterion_ids

DEFAULT_PROMPT = "translate-v1"
PROMPTS_PACKAGE = "translator.prompts"
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JINJA_OPENERS = ("{{", "{%", "{#")
_MARKDOWN_ESCAPE = re.compile(r"\\(?=[<>\[\]*\-^~_#+.()|!=`\\])")

Role = Literal["system", "user", "assistant"]


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: int
    description: str
    system: str
    user: str
    repair: str
    examples: str

    @property
    def prompt_id(self) -> str:
        return f"{self.id}-v{self.version}"


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    input: dict[str, Any]
    output: PlainTranslation


@dataclass(frozen=True)
class Message:
    role: Role
    content: str

    def to_json(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class Prompt:
    """A loaded prompt: its templates, its examples, and a hash of every file in its folder."""

    prompt_id: str
    sha256: str
    system: str
    user: str
    repair: str
    examples: tuple[Example, ...]

    def first(self, criteria: Sequence[Criterion], study: str | None) -> list[Message]:
        """The messages of a first translation."""
        return [self._system(), Message("user", self._render(self.user, criteria_json=criteria_json(criteria, study)))]

    def repair_messages(
        self, criteria: Sequence[Criterion], study: str | None, previous: PlainTranslation, findings: Sequence[Problem]
    ) -> list[Message]:
        """The messages of a repair: the criteria, the previous answer and the verifier's findings, all as data."""
        text = self._render(
            self.repair,
            criteria_json=criteria_json(criteria, study),
            previous_json=data_json(previous.model_dump(mode="json")),
            findings_json=data_json([f.to_json() for f in findings]),
        )
        return [self._system(), Message("user", text)]

    def _system(self) -> Message:
        example = self.examples[0]
        return Message(
            "system",
            self._render(
                self.system,
                example_input=data_json(example.input),
                example_output=data_json(example.output.model_dump(mode="json")),
            ),
        )

    def _render(self, source: str, **values: str) -> str:
        try:
            text = _ENV.from_string(source).render(**values)
        except TemplateError as exc:
            raise ConfigError(f"prompt {self.prompt_id}: the template does not render ({exc})") from None
        text = text.strip()
        if any(opener in text for opener in _JINJA_OPENERS):
            raise ConfigError(
                f"prompt {self.prompt_id}: a rendered message still contains a Jinja opener",
                hint="instructor would render it again; keep {{ }} out of the prompt's literal text",
            )
        return text


@dataclass(frozen=True)
class Problem:
    """One verifier finding as the model is shown it in a repair."""

    criterion_id: str | None
    kind: str
    severity: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {"criterion": self.criterion_id, "kind": self.kind, "severity": self.severity, "problem": self.message}


_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


def data_json(value: object) -> str:
    """JSON for the model to read as data, on one line; braces inside strings escaped so no Jinja opener forms."""
    text = json.dumps(value, ensure_ascii=False)
    return _JSON_STRING.sub(lambda m: m.group().replace("{", "\\u007b").replace("}", "\\u007d"), text)


def plain_text(text: str) -> str:
    """A criterion as the model reads it: Markdown backslash escapes removed (``\\<5`` is ``<5``), one line."""
    return " ".join(_MARKDOWN_ESCAPE.sub("", text).split())


def criteria_json(criteria: Sequence[Criterion], study: str | None) -> str:
    wanted = set(criterion_ids(criteria))
    rows: list[dict[str, object]] = []
    for c in criteria:
        row: dict[str, object] = {"id": c.id, "section": c.section, "text": plain_text(c.text)}
        if c.parent:
            row["part_of"] = c.parent
        row["must_cover"] = c.id in wanted
        rows.append(row)
    lines = ",\n".join(data_json(row) for row in rows)
    return f'{{"study": {data_json(study or "unnamed")}, "criteria": [\n{lines}\n]}}'


def load_prompt(prompt_id: str = DEFAULT_PROMPT, folder: Traversable | None = None) -> Prompt:
    """Load a prompt folder: by id from the installed package, or from ``folder`` (a copy being edited)."""
    base = folder if folder is not None else resources.files(PROMPTS_PACKAGE).joinpath(prompt_id)
    if not base.is_dir():
        raise ConfigError(f"no prompt {prompt_id!r}", hint=f"prompt folders live in {PROMPTS_PACKAGE} (prompts/)")
    files = {entry.name: _read(entry) for entry in base.iterdir() if entry.is_file()}
    try:
        manifest = Manifest.model_validate_json(files["manifest.json"])
        examples = [Example.model_validate(e) for e in json.loads(files[manifest.examples])]
        system, user, repair = files[manifest.system], files[manifest.user], files[manifest.repair]
    except (KeyError, ValueError, ValidationError) as exc:
        raise ConfigError(f"prompt {prompt_id}: broken prompt folder ({exc})") from None
    if folder is None and manifest.prompt_id != prompt_id:
        raise ConfigError(f"prompt folder {prompt_id!r} holds {manifest.prompt_id!r}", hint="rename one of them")
    if not examples:
        raise ConfigError(f"prompt {prompt_id}: needs at least one example")
    return Prompt(manifest.prompt_id, _hash(files), system, user, repair, tuple(examples))


def _read(entry: Traversable) -> str:
    return entry.read_bytes().decode("utf-8").replace("\r\n", "\n")


def _hash(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return digest.hexdigest()
