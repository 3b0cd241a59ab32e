"""Photos in order -> one continuous piece (a section per photo) and a slideshow video to share."""
