# assessment messages (ur). Keys here must not repeat those of other files.
