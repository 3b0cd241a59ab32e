"""Tuning a briefer on the data set: locally (LoRA with peft and trl) or on Vertex AI."""
