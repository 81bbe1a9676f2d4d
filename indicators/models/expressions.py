"""The sides of a plausibility rule: small arithmetic over figure codes ("workers_members + 5", "0.5 * total_spend").

A hand-written parser, not Python's eval: codes, decimal numbers (1.5 or 1,5), + - * / and
brackets, nothing else. A side is checked against the catalogue when the rule is saved
(check_rule), so a rule never names a figure that does not exist.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:[.,]\d+)?)|(?P<code>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/()]))")
MAX_LENGTH = 255

Node = tuple


class ExpressionError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position, text = [], 0, text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(
                _("Cannot read “%(rest)s”: use figure codes, numbers, + - * / and brackets.")
                % {"rest": text[position:].strip()[:20]}
            )
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.at = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(_("The expression ends too early."))
        self.at += 1
        return token

    def expression(self) -> Node:
        node = self.term()
        while (token := self.peek()) and token[1] in "+-" and token[0] == "op":
            self.take()
            node = (token[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while (token := self.peek()) and token[1] in "*/" and token[0] == "op":
            self.take()
            node = (token[1], node, self.factor())
        return node

    def factor(self) -> Node:
        kind, text = self.take()
        if kind == "number":
            return ("num", Decimal(text.replace(",", ".")))
        if kind == "code":
            return ("code", text)
        if text == "-":
            return ("neg", self.factor())
        if text == "(":
            node = self.expression()
            if self.take() != ("op", ")"):
                raise ExpressionError(_("A bracket is not closed."))
            return node
        raise ExpressionError(_("Unexpected “%(text)s”.") % {"text": text})


def parse(text: str) -> Node:
    """The tree of an expression, or ExpressionError saying what is wrong."""
    if not text.strip():
        raise ExpressionError(_("The expression is empty."))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("The expression is too long."))
    parser = _Parser(_tokens(text))
    node = parser.expression()
    if parser.peek() is not None:
        raise ExpressionError(_("Unexpected “%(text)s”.") % {"text": parser.peek()[1]})
    return node


def codes(node: Node) -> set[str]:
    if node[0] == "code":
        return {node[1]}
    if node[0] == "num":
        return set()
    return set().union(*(codes(child) for child in node[1:]))


def evaluate(node: Node, numbers: dict[str, Decimal], *, missing_as_zero: bool) -> Decimal | None:
    """The value of an expression; None when a figure is missing (unless counted as 0) or it divides by 0."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "code":
        value = numbers.get(node[1])
        return Decimal(0) if value is None and missing_as_zero else value
    if kind == "neg":
        value = evaluate(node[1], numbers, missing_as_zero=missing_as_zero)
        return None if value is None else -value
    left = evaluate(node[1], numbers, missing_as_zero=missing_as_zero)
    right = evaluate(node[2], numbers, missing_as_zero=missing_as_zero)
    if left is None or right is None:
        return None
    try:
        return {"+": left + right, "-": left - right, "*": left * right}[kind] if kind != "/" else left / right
    except (InvalidOperation, ZeroDivisionError):
        return None


def _check_side(text: str, numeric: dict[str, bool]) -> tuple[Node | None, str]:
    try:
        node = parse(text)
    except ExpressionError as problem:
        return None, str(problem)
    unknown = sorted(code for code in codes(node) if code not in numeric)
    if unknown:
        return None, _("No figure has the code %(codes)s in the catalogue: check the spelling of the code.") % {
            "codes": ", ".join(f"“{code}”" for code in unknown)
        }
    not_numbers = sorted(code for code in codes(node) if not numeric[code])
    if not_numbers:
        return None, _("%(codes)s is not a number or an amount: a side can only add up figures.") % {
            "codes": ", ".join(f"“{code}”" for code in not_numbers)
        }
    return node, ""


def check_rule(rule, numeric: dict[str, bool]) -> dict[str, str]:
    """What is wrong with a rule's fields (field -> message); `numeric` maps every figure code to whether it is a number."""
    from .quality import RuleKind  # the models module imports this one

    errors: dict[str, str] = {}
    element = rule.element if rule.element_id else None
    if element is not None and not element.is_numeric:
        errors["element"] = _("Only a number or an amount can be checked for plausibility.")
    if rule.kind == RuleKind.FIELDS:
        left_text = rule.left.strip() or (element.code if element else "")
        left, problem = _check_side(left_text, numeric)
        if problem:
            errors["left"] = problem
        elif element is not None and element.code not in codes(left):
            errors["left"] = _("The left side must use the figure checked (%(code)s).") % {"code": element.code}
        if not rule.right.strip():
            errors["right"] = _("Write the right side, e.g. workers_total.")
        else:
            _node, problem = _check_side(rule.right, numeric)
            if problem:
                errors["right"] = problem
    elif rule.kind == RuleKind.REGISTRY and not rule.registry:
        errors["registry"] = _("Choose the registry figure the reported one is compared with.")
    return errors
