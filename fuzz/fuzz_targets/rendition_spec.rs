#![no_main]
// The body is in fuzz-targets/ (mediakit_fuzz_targets::rendition_spec), replayed on stable.
libfuzzer_sys::fuzz_target!(|data: &[u8]| mediakit_fuzz_targets::rendition_spec(data));
