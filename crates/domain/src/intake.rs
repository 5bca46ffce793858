//! Intake of deportees, offloadees and intercepted migrants (being written).
