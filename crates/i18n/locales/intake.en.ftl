# intake messages (en). Keys here must not repeat those of other files.
