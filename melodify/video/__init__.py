"""Video in, a soundtrack out: probe (limits), frames (reduced decode), scenes (cuts, motion), plan (one
brief, a section per scene), mux (the video stream copied, the music beside it), score (all of it)."""
