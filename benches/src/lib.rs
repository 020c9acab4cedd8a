//! Shared pieces of the benchmarks (see BENCHMARKS.md).
