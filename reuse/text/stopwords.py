"""The one English stop list, and the three uses that read it.

Every stage asks "does this word say something about the content?", with a different bar for
what a claim, a topic or a passage needs; all three bars are drawn here from one list
(scikit-learn's ``ENGLISH_STOP_WORDS``, BSD-3-Clause, the list every peer uses; copied here as data
because importing scikit-learn costs seconds, and a test checks the copy), so what counts as a
function word is decided in one place:

* :func:`is_term`: a TF-IDF term (document cosine, top shared terms, report highlights): not a stop
  word, not a lone character;
* :data:`CLAIM_STOP_WORDS` / :func:`is_content` (``reuse.text.terms``): words that carry a claim,
  the stop list plus reporting filler ("said", "mr");
* :data:`FUNCTION_WORDS`: the aligner's sentence terms, the stop list minus the content words
  scikit-learn's list happens to hold ("computer", "fire", "bill", numbers).
"""
from __future__ import annotations

import numpy as np

from reuse.text.normalize import is_character_token, normalize, token_hash

ENGLISH_STOP_WORDS: frozenset[str] = frozenset((
    "a about above across after afterwards again against all almost alone along already also although "
    "always am among amongst amoungst amount an and another any anyhow anyone anything anyway "
    "anywhere are around as at back be became because become becomes becoming been before beforehand "
    "behind being below beside besides between beyond bill both bottom but by call can cannot cant co "
    "con could couldnt cry de describe detail do done down due during each eg eight either eleven "
    "else elsewhere empty enough etc even ever every everyone everything everywhere except few "
    "fifteen fifty fill find fire first five for former formerly forty found four from front full "
    "further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers "
    "herself him himself his how however hundred i ie if in inc indeed interest into is it its itself "
    "keep last latter latterly least less ltd made many may me meanwhile might mill mine more "
    "moreover most mostly move much must my myself name namely neither never nevertheless next nine "
    "no nobody none noone nor not nothing now nowhere of off often on once one only onto or other "
    "others otherwise our ours ourselves out over own part per perhaps please put rather re same see "
    "seem seemed seeming seems serious several she should show side since sincere six sixty so some "
    "somehow someone something sometime sometimes somewhere still such system take ten than that the "
    "their them themselves then thence there thereafter thereby therefore therein thereupon these "
    "they thick thin third this those though three through throughout thru thus to together too top "
    "toward towards twelve twenty two un under until up upon us very via was we well were what "
    "whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever "
    "whether which while whither who whoever whole whom whose why will with within without would yet "
    "you your yours yourself yourselves "
).split())

STOP_WORDS = ENGLISH_STOP_WORDS
"""Function words: scikit-learn's English list."""

CLAIM_STOP_WORDS = STOP_WORDS | frozenset({"s", "t", "said", "says", "also", "mr", "mrs", "ms"})
"""Function words plus reporting filler that carries no claim."""

_CONTENT_IN_STOP_WORDS = frozenset(
    "amount back bill bottom call computer con cry describe detail eight eleven empty fifteen fifty "
    "fill find fire first five forty found four front full give hundred interest last mill move name "
    "next nine part put see serious show side six sixty system take ten third thick thin three top "
    "twelve twenty two well".split()
)
FUNCTION_WORDS = STOP_WORDS - _CONTENT_IN_STOP_WORDS
"""The stop list without the content words it also holds, which carry a passage's meaning."""

STOP_IDS = np.unique(np.array([token_hash(normalize(w)) for w in STOP_WORDS], dtype=np.uint64))
"""Token ids of :data:`STOP_WORDS`, sorted: the same test on ids, for the batch kernels."""


def is_term(norm: str) -> bool:
    """Whether a normalised token is a TF-IDF term: not a stop word, not a lone letter (but each
    character of a script without spaces, such as a Han character, is one)."""
    return norm not in STOP_WORDS and (len(norm) > 1 or is_character_token(norm))


def is_stop_id(ids: np.ndarray) -> np.ndarray:
    """Per token id, whether it is the id of a stop word."""
    pos = np.minimum(np.searchsorted(STOP_IDS, ids), len(STOP_IDS) - 1)
    return STOP_IDS[pos] == ids
