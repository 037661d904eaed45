"""Answers an executive can trust: evidence first, a direct cited answer built from the evidence, model
sentences only after verification, and "not in your data" instead of a guess. No Qt here."""

from engine.answers.engine import NOT_FOUND, AnswerEngine, AnswerResult, ModelWriter, model_prompt
from engine.answers.evidence import EvidenceSentence, select_evidence, split_sentences
from engine.answers.question import QuestionFocus, analyse
from engine.answers.values import Value, find_values
from engine.answers.verify import Verdict, Verifier

__all__ = [
    "AnswerEngine", "AnswerResult", "EvidenceSentence", "ModelWriter", "NOT_FOUND", "QuestionFocus", "Value",
    "Verdict", "Verifier", "analyse", "find_values", "model_prompt", "select_evidence", "split_sentences",
]
