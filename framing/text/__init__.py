"""The text stage: sentences and tokens; actor files, mentions, and passages about an actor.

Passages cut elsewhere (a coded spreadsheet) come in through :func:`import_passages`.
"""

from __future__ import annotations

from framing.text._actors import Actor, ActorSet, Office, load_actors
from framing.text._audit import KwicView, audit_sheet, kwic, score_audit
from framing.text._boilerplate import drop_repeated_sentences
from framing.text._issues import Issue, load_issue
from framing.text._mentions import Mention, find_mentions
from framing.text._passage_import import import_passages
from framing.text._passages import Passages, extract_passages, load_passages
from framing.text._sentences import Sentence, split_sentences
from framing.text._token_rules import english_stop_words
from framing.text._token_table import to_gensim_corpus, tokenize_corpus, write_tokens
from framing.text._tokens import Tokenizer

__all__ = [
    "Actor", "ActorSet", "Issue", "KwicView", "Mention", "Office", "Passages", "Sentence",
    "Tokenizer", "audit_sheet", "drop_repeated_sentences", "english_stop_words",
    "extract_passages", "find_mentions",
    "import_passages", "kwic", "load_actors", "load_issue", "load_passages", "score_audit",
    "split_sentences", "to_gensim_corpus", "tokenize_corpus", "write_tokens",
]
