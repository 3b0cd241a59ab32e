"""The Melodify web pages: upload, making/result, share, my tracks (Korean and English)."""
