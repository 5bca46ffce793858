//! TIP / SOM assessment (being written).
