"""A model's Hugging Face fast tokenizer, rebuilt with the ``tokenizers`` library alone.

A transformers fast tokenizer is a thin layer over a ``tokenizers.Tokenizer``: for each
call it sets the library's truncation and padding, then encodes the batch. Importing
transformers costs about 1.3 s in a new process (after torch); the stored OpenVINO path
(:mod:`probe_reference`) needs only the tokenizer, so this class answers the calls
TopicDesk makes of one (token counts, padded batches, offsets and word ids for windows
of long texts) from the library's definition saved from the transformers tokenizer, with
the settings transformers gives the library for those calls.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# what a transformers fast tokenizer's own attributes say about padding and truncation
SETTINGS = (
    "pad_token",
    "pad_token_id",
    "pad_token_type_id",
    "padding_side",
    "truncation_side",
    "model_max_length",
)


def settings_of(tokenizer) -> dict[str, object]:
    """The padding and truncation settings of a transformers fast tokenizer."""
    return {name: getattr(tokenizer, name) for name in SETTINGS}


class Encoded(dict):
    """Token ids (and masks, offsets) by name, as a transformers ``BatchEncoding`` gives them."""

    def __init__(self, fields: dict[str, object], encodings: list) -> None:
        super().__init__(fields)
        self._encodings = encodings

    def word_ids(self, index: int = 0) -> list[int | None]:
        """The word each token of text ``index`` belongs to (None for special tokens)."""
        return self._encodings[index].word_ids


class FastTokenizer:
    """A ``tokenizers.Tokenizer`` (from ``definition``, its JSON) called like the transformers
    fast tokenizer it was saved from, whose attributes ``settings`` are (:func:`settings_of`)."""

    is_fast = True

    def __init__(self, definition: str, settings: dict[str, object]) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_str(definition)
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._tokenizer.encode_special_tokens = False  # "[SEP]" in a text is a token
        for name in SETTINGS:
            setattr(self, name, settings[name])

    def __call__(
        self,
        text: str | Sequence[str],
        *,
        add_special_tokens: bool = True,
        truncation: bool = False,
        max_length: int | None = None,
        padding: bool = False,
        return_tensors: str | None = None,
        return_attention_mask: bool = True,
        return_token_type_ids: bool = False,
        return_offsets_mapping: bool = False,
        verbose: bool = True,
    ) -> Encoded:
        """Encode one text or a batch: truncated from ``truncation_side`` to ``max_length``
        tokens (special tokens included), padded to the longest of the batch. ``verbose``
        is taken as transformers takes it (long_texts passes it) and changes nothing."""
        batch = [text] if isinstance(text, str) else list(text)
        backend = self._tokenizer
        if truncation:
            backend.enable_truncation(
                max_length or self.model_max_length,
                stride=0,
                strategy="longest_first",
                direction=self.truncation_side,
            )
        else:
            backend.no_truncation()
        if padding:
            backend.enable_padding(
                direction=self.padding_side,
                pad_id=self.pad_token_id,
                pad_type_id=self.pad_token_type_id,
                pad_token=self.pad_token,
                length=None,
                pad_to_multiple_of=None,
            )
        else:
            backend.no_padding()
        encodings = backend.encode_batch(batch, add_special_tokens=add_special_tokens)
        fields: dict[str, object] = {"input_ids": [e.ids for e in encodings]}
        if return_attention_mask:
            fields["attention_mask"] = [e.attention_mask for e in encodings]
        if return_token_type_ids:
            fields["token_type_ids"] = [e.type_ids for e in encodings]
        if return_offsets_mapping:
            fields["offset_mapping"] = [e.offsets for e in encodings]
        if return_tensors == "np":
            fields = {name: np.asarray(rows, dtype=np.int64) for name, rows in fields.items()}
        elif return_tensors is not None:
            raise ValueError(f"tensors of kind {return_tensors!r} are not made here")
        if isinstance(text, str):
            fields = {name: rows[0] for name, rows in fields.items()}
        return Encoded(fields, encodings)
