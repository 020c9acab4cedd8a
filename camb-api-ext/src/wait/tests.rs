//! Tests of the wait engine against a fake status source, on a paused clock.
