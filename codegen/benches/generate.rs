//! Spec → all three outputs (load the YAML, validate, build the model, emit the client, the CLI
//! and the docs pages, format the Rust) for synthetic specs of 10 to 10,000 methods, and each
//! step alone at 1,000 methods. Throughput is in methods: criterion prints methods per second.
//!
//! ```sh
//! cargo bench -p oint-codegen --features synthetic --bench generate
//! ```

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use oint_codegen::{emit, load, synthetic, validate};

const SIZES: &[usize] = &[10, 100, 1_000, 10_000];

/// A spec of `methods` methods in a temporary directory.
fn spec(methods: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    synthetic::write(dir.path(), methods).expect("the synthetic spec is written");
    dir
}

fn all_outputs(spec: &Path) -> usize {
    let model = oint_codegen::model(spec).expect("the synthetic spec is valid");
    let rust = oint_codegen::rust_files(&model);
    let docs = oint_codegen::docs_files(&model);
    rust.len() + docs.len()
}

fn spec_to_all_outputs(c: &mut Criterion) {
    let mut group = c.benchmark_group("spec_to_all_outputs");
    group.warm_up_time(Duration::from_millis(500));
    for &methods in SIZES {
        let dir = spec(methods);
        group.throughput(Throughput::Elements(methods as u64));
        if methods >= 1_000 {
            // One run takes long enough: the same number of runs per sample, few samples.
            group.sampling_mode(SamplingMode::Flat);
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(if methods >= 10_000 { 20 } else { 4 }));
        } else {
            group.sample_size(20);
            group.measurement_time(Duration::from_secs(3));
        }
        group.bench_with_input(
            BenchmarkId::from_parameter(methods),
            dir.path(),
            |b, dir| b.iter(|| black_box(all_outputs(dir))),
        );
    }
    group.finish();
}

/// Each step alone, at 1,000 methods: what dominates.
fn steps(c: &mut Criterion) {
    const METHODS: usize = 1_000;
    let dir = spec(METHODS);
    let files = load::load(dir.path()).expect("loads");
    let model = validate::validate(&files).expect("valid");
    let library = &model.libraries[0];

    let mut group = c.benchmark_group("steps_1000");
    group.throughput(Throughput::Elements(METHODS as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("load_yaml", |b| {
        b.iter(|| black_box(load::load(dir.path()).expect("loads")))
    });
    group.bench_function("validate_model", |b| {
        b.iter(|| black_box(validate::validate(&files).expect("valid")))
    });
    group.bench_function("emit_client", |b| {
        b.iter(|| black_box(emit::client::client(library)))
    });
    group.bench_function("emit_cli", |b| b.iter(|| black_box(emit::cli::cli(&model))));
    group.bench_function("emit_docs", |b| {
        b.iter(|| black_box(emit::docs::pages(&model)))
    });
    group.bench_function("emit_openapi", |b| {
        b.iter(|| black_box(emit::openapi::document(library)))
    });
    group.finish();
}

criterion_group!(benches, spec_to_all_outputs, steps);
criterion_main!(benches);
