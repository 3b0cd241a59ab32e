"""What the MusicGen composer is made of: the checkpoint loaded (model.py), its precision (fast.py), our
decode loop (decode.py), windows and streaming (generate.py), batching of concurrent jobs (batching.py),
the melody condition from the embedded composer's score (chroma.py) and measures of joins (joins.py)."""
