"""Node-level decisions, from every candidate at once: which candidates name one entity, whether
it is a method or a benchmark, its preferred label and aliases, and whether it is kept at all.

An entry only says what it saw (:class:`kg.model.Candidate`); the decisions here weigh what all
entries say, so the same set of candidates gives the same entities in any order and batching.

- A known name (the gazetteer) is that entry, whatever its spelling or long form.
- An acronym's senses are told apart by their long forms: "PRISM" defined six different ways is
  six entities, each keyed ``prism~<long form>``; its bare uses join the one sense when there is
  one, and stay a plain ``prism`` node when there are several. A sense every entry defines with
  a generic long form (a task, metric, domain or setting) is dropped, and so are bare uses of an
  acronym whose only senses are generic, unless twice as many papers use it as a name.
- A name no entry gives evidence for (a cue, a definition, a title, a gazetteer entry) is dropped, and
  so is an acronym of capitals whose only evidence is a preposition before it, unless a long form's
  head names a method or a dataset: "PK", "RBAC" and "STEM" name domains as often as methods.
- Kind is a vote of the entries' cues, the long forms' heads and the name's shape.
- A candidate written only as a modifier ("X-based"), as a metric or as a domain ("domains such as
  X") gives no link, and neither does
  a named part (module, loss, strategy) of another method the same paper proposes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Container, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model import Candidate, Entity
from .canon import choose_label, compatible, normalize, similar, stems, sorted_aliases
from .gazetteer import Gazetteer, head_class
from .rules import FAMILIES, METHOD_HEADS, long_form_head

_CJK = re.compile(r"[\u3400-\u9fff]")
EVIDENCE = frozenset({"use", "compared", "benchmark", "method", "title"})
_BENCH_NAME = re.compile(r"(?:bench(?:mark)?|eval|arena|gym)(?:[-_ ]?v?\d+(?:\.\d+)?)?$|^(?-i:Bench[A-Z0-9])", re.I)
# "ZQ-T5-Mini", "Zorb-Small": a size tier or a model family inside a name makes it a model
_TIERS = frozenset("mini small tiny medium large base xl xxl nano".split())
# an acronym (PK, RBAC, LoS, NLoS, V2I): two to six letters or digits, two capitals or more, no
# two lower-case letters in a row
_ACRONYM = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})(?!.*[a-z]{2})[A-Z][A-Za-z0-9]{1,5}s?")
_ZH_THING = re.compile(r"(?:模型|方法|框架|算法|架构|网络|数据集|基准|语料库|系统|优化器|编码器|解码器)$")


def names_a_thing(long_form: str) -> bool:
    """Whether a long form's head says it names a method or a dataset ("… Network", "…数据集").

    >>> names_a_thing("Kernel Vector Network"), names_a_thing("Modern Standard Arabic"), names_a_thing("药代动力学")
    (True, False, False)
    """
    if _CJK.search(long_form):
        return _ZH_THING.search(long_form) is not None
    return head_class(long_form_head(long_form), ("reject", "benchmark", "method")) in ("benchmark", "method")


_NO_LINK = frozenset({"adjectival", "metric", "domain"})  # cues of a candidate that gives no link
_TRAILING_NUMBER = re.compile(r"(?<=[A-Za-z])\d+$")
_CAMEL_TAIL = re.compile(r"(?<=[a-z0-9])[A-Z][a-z]{2,}$")  # "PerfAgent" -> "Agent"
_QA_NAME = re.compile(r"qa(?:[-_ ]?v?\d+(?:\.\d+)?)?$", re.I)
# "SpineMed-450k", "MTMask6M", "TT100K-night": a count of items in a name makes it data, unless a
# parameter count ("-7B") says it is a model; "D2M" (dance to music) is no count
_SIZED = re.compile(r"(?:\d{2,}|(?<![A-Z\d])\d)(?:\.\d+)?[KkM](?![A-Za-z0-9])")
_PARAMETERS = re.compile(r"\d(?:\.\d+)?[BT](?![A-Za-z0-9])")


def decide(cands: Sequence[Candidate], gaz: Gazetteer) -> list[Entity | None]:
    """The entity each candidate names (None: no link), decided from all of ``cands``.

    >>> from kg.extract import load_gazetteer
    >>> cs = [Candidate("1", "zq", "ZQ", long_forms=("Zeta Quantizer",), cues=("use",)),
    ...       Candidate("2", "zq", "ZQ", cues=("use",))]
    >>> [e.key for e in decide(cs, load_gazetteer())]
    ['zq', 'zq']
    """
    return assign(cands, gaz).linked


@dataclass
class Decisions:
    """What :func:`assign` decides: each candidate's node key (None: its group gives it no
    node) and the entity it links to (None: no link), and each node's entity (None: dropped)."""

    nodes: list[str | None]
    linked: list[Entity | None]
    entities: dict[str, Entity | None]


def group_key(c: Candidate, keys: Container[str]) -> str:
    """The key a candidate is decided under, given every candidate's ``keys``: a plural that is
    also written singular is the singular ("GPTs" -> "GPT")."""
    k = c.key
    return k[:-1] if k.endswith("s") and len(k) > 2 and k[:-1] in keys and not c.long_forms else k


def assign(cands: Sequence[Candidate], gaz: Gazetteer) -> Decisions:
    """Every decision about ``cands``, made from all of them."""
    groups: dict[str, list[int]] = defaultdict(list)
    keys = {c.key for c in cands}
    for i, c in enumerate(cands):
        groups[group_key(c, keys)].append(i)
    node_of: dict[int, str] = {}
    for a in sorted(groups):
        node_of.update(senses(a, [(i, cands[i]) for i in groups[a]], gaz))
    members: dict[str, list[int]] = defaultdict(list)
    for i, node in node_of.items():
        members[node].append(i)
    entities, linked = entities_of(members, cands, proposals(node_of.items(), cands), gaz)
    out: list[Entity | None] = [None] * len(cands)
    for i, e in linked:
        out[i] = e
    return Decisions([node_of.get(i) for i in range(len(cands))], out, entities)


def proposals(nodes: Iterable[tuple[Hashable, str]], cands) -> dict[str, set[str]]:
    """The nodes each paper proposes, from (candidate, node) pairs (``cands[candidate]``)."""
    proposing: dict[str, set[str]] = defaultdict(set)
    for i, node in nodes:
        if cands[i].role == "proposed":
            proposing[cands[i].arxiv_id].add(node)
    return proposing


def entities_of(members: Mapping[str, Sequence[Hashable]], cands, proposing: Mapping[str, set[str]],
                gaz: Gazetteer) -> tuple[dict[str, Entity | None], list[tuple[Hashable, Entity]]]:
    """Each node's entity from its ``members`` (all of them, ``cands[member]``) and the papers'
    ``proposing``, and the (member, entity) links it gives."""
    entities: dict[str, Entity | None] = {}
    linked: list[tuple[Hashable, Entity]] = []
    for node in sorted(members):
        idx = members[node]
        cs = [cands[i] for i in idx]
        entity = _entity(node, cs, gaz)
        if entity is not None and _sub_module(node, cs, proposing):
            entity = None
        entities[node] = entity
        if entity is None:
            continue
        own = node.removeprefix("gaz:")
        for i, c in zip(idx, cs):
            if not _NO_LINK.isdisjoint(c.cues):
                continue
            if not c.cues and c.role != "proposed" and own != gaz.alias_to_key.get(c.key, c.key):
                continue  # "radar, DP, and visual data": no cue here, and a sense only other entries give
            linked.append((i, entity))
    return entities, linked


def _sub_module(node: str, cs: list[Candidate], proposing: dict[str, set[str]]) -> bool:
    """A named part of one paper's proposed method ("its Depth Enhancement (DE) module"), named
    nowhere else: tolerated either way by the policy, so not linked."""
    if not all("part" in c.cues for c in cs) or len(papers := {c.arxiv_id for c in cs}) != 1:
        return False
    return bool(proposing[next(iter(papers))] - {node})


def senses(a: str, group: list[tuple[Hashable, Candidate]], gaz: Gazetteer) -> dict[Hashable, str]:
    """Node keys for one group of candidates sharing a key (``gaz:`` prefix for known names)."""
    known = gaz.entries.get(gaz.alias_to_key.get(a, ""))
    clusters: list[tuple[set[str], list[tuple[int, Candidate]]]] = []
    fixed: dict[int, str] = {}
    bare = [i for i, c in group if not c.long_forms]
    for i, c in sorted(((i, c) for i, c in group if c.long_forms), key=lambda ic: (ic[1].long_forms, ic[1].arxiv_id, ic[0])):
        # senses are told apart by Latin long forms: Chinese ones vary with each translation
        lf = next((f for f in c.long_forms if not _CJK.search(f)), None)
        if lf is None:
            bare.append(i)
            continue
        entry = gaz.lookup(lf)
        if entry is None and known is not None and compatible(lf, known):
            entry = known
        if entry is not None:
            fixed[i] = "gaz:" + entry.key
            continue
        lf_stems = stems(lf)
        for cstems, cmembers in clusters:
            if similar(lf_stems, cstems):
                cmembers.append((i, c))
                break
        else:
            clusters.append((lf_stems, [(i, c)]))
    kept = [ms for _, ms in clusters if not all("rejected" in c.cues for _, c in ms)
            and not all("generic" in c.cues and c.role != "proposed" for _, c in ms)]
    senses = set(fixed.values()) | {f"lf:{n}" for n in range(len(kept))}
    out = dict(fixed)
    for ms in kept:
        lf = min(f for _, c in ms for f in c.long_forms if not _CJK.search(f))
        # a known acronym's other senses never take its key ("MAE" the metric is not the model)
        key = a if len(senses) == 1 and known is None else f"{a}~{normalize(lf)}"
        out.update((i, key) for i, _ in ms)
    for i in bare:
        if known is not None:
            out[i] = "gaz:" + known.key
        elif len(senses) == 1:
            out[i] = next(iter(fixed.values())) if fixed else a
        elif senses or not clusters or _name_outweighs(group, bare, clusters):
            out[i] = a
        # else: the acronym's only senses are generic, so its bare uses are too
    return out


_NAME_CUES = frozenset({"compared", "method", "benchmark", "title"})
_NOT_NAME_CUES = frozenset({"generic", "rejected", "metric", "domain", "adjectival"})


def _name_outweighs(group: list[tuple[int, Candidate]], bare: list[int],
                    clusters: list[tuple[set[str], list[tuple[int, Candidate]]]]) -> bool:
    """Whether the papers using an acronym bare as a name outweigh twice over the papers defining
    it generically, so that one garbled definition ("an irrational frequency separation
    (π-RoPE)") does not drop a well-attested name everywhere. A paper proposing the name or
    giving it a comparison or kind cue weighs 1, one with only a weak cue ("using X") ½."""
    cands = dict(group)
    generic = {c.arxiv_id for _, ms in clusters for _, c in ms}
    weight: dict[str, float] = {}
    for i in bare:
        c = cands[i]
        if c.arxiv_id in generic or not _NOT_NAME_CUES.isdisjoint(c.cues):
            continue
        w = 1.0 if c.role == "proposed" or not _NAME_CUES.isdisjoint(c.cues) else 0.5 if "use" in c.cues else 0.0
        weight[c.arxiv_id] = max(w, weight.get(c.arxiv_id, 0.0))
    return sum(weight.values()) > 2 * len(generic)


def _entity(node: str, cs: list[Candidate], gaz: Gazetteer) -> Entity | None:
    names = [c.name for c in cs]
    spellings = [s for c in cs for s in c.spellings] + [lf for c in cs for lf in c.long_forms]
    if node.startswith("gaz:"):
        known = gaz.entries[node[4:]]
        return Entity(known.key, known.label, known.kind,
                      sorted_aliases(names + spellings + list(known.aliases), known.label))
    if not any(c.role == "proposed" or EVIDENCE & set(c.cues) or (c.long_forms and "generic" not in c.cues)
               for c in cs):
        return None
    label = choose_label(Counter(names))
    if _ACRONYM.fullmatch(label) and not any(c.role == "proposed" or (EVIDENCE - {"use"}) & set(c.cues) for c in cs) \
            and not any(names_a_thing(lf) for c in cs for lf in c.long_forms):
        return None  # a bare acronym read only near a preposition: a domain or setting as often as a method
    return Entity(node, label, _kind(label, cs, gaz), sorted_aliases(names + spellings, label))


def _kind(label: str, cs: list[Candidate], gaz: Gazetteer) -> str:
    """Benchmark when the entries' cues, the name's shape and its family say so, on balance."""
    bench = sum("benchmark" in c.cues for c in cs)
    method = sum("method" in c.cues for c in cs)
    shape = 2 if _BENCH_NAME.search(label) or (_SIZED.search(label) and not _PARAMETERS.search(label)) \
        else 1 if _QA_NAME.search(label) else 0
    family = _family_kind(label, gaz)
    shape += 1 if family == "benchmark" else -1 if family == "method" else 0
    parts = label.lower().split("-")
    if not shape and len(parts) > 1 and (parts[-1] in _TIERS or not FAMILIES.isdisjoint(parts[1:])):
        shape -= 2
    elif not shape and (tail := _CAMEL_TAIL.search(label)) and tail.group(0).lower() in METHOD_HEADS:
        shape -= 1  # "PerfAgent", "AdaptiveGuard": a method head ends the name
    votes = bench - method + shape
    return "benchmark" if votes > 0 and 2 * (bench + max(shape, 0)) >= len(cs) else "method"


def _family_kind(label: str, gaz: Gazetteer) -> str | None:
    """The kind of a known name this one extends: "COCO-20i" and "COCO2017" are benchmarks like COCO."""
    stem = _TRAILING_NUMBER.sub("", label)
    if stem != label and len(stem) >= 3 and (known := gaz.lookup(stem)):
        return known.kind
    parts = re.split(r"[-\s]", label)
    for end in range(len(parts) - 1, 0, -1):
        known = gaz.lookup("-".join(parts[:end]))
        if known:
            return known.kind
    return None
