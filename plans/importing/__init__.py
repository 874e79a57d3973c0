"""Importing plans from pasted text, .txt and .docx files.

    source.py   bytes or pasted text → [SourceLine] (decoding, safe .docx reading, normalisation)
    parser.py   [SourceLine] → ParsedPlan (header, legal bases, section tree, signature, recipients)
    service.py  ParsedPlan → a draft Plan

Nothing in an imported file is executed or fetched; every line of the source ends up somewhere.
"""
