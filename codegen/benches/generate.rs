//! Spec → every output (load the YAML, validate, build the model, emit the client, the CLI, the
//! docs pages and guides, the landing page, the translations and the OpenAPI document, format
//! the Rust) for synthetic specs of 10 to 10,000 methods, and each
//! step alone at 1,000 methods. Throughput is in methods: criterion prints methods per second.
//!
//! ```sh
//! cargo bench -p oint-codegen --features synthetic --bench generate
//! ```
//!
//! A size (or step) whose single run takes more than [`LIMIT`] is reported and left out, with
//! the sizes above it (or that would take more at a linear cost, judging by the size below),
//! so that a slow generator cannot keep the bench running for hours.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use oint_codegen::{emit, load, synthetic, validate};

const SIZES: &[usize] = &[10, 100, 1_000, 10_000];

/// The longest single run that is still benchmarked.
const LIMIT: Duration = Duration::from_secs(10);

/// A spec of `methods` methods in a temporary directory.
fn spec(methods: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    synthetic::write(dir.path(), methods).expect("the synthetic spec is written");
    dir
}

/// Every output of the registry (Rust, docs pages and guides, landing page, translations,
/// OpenAPI), in memory: the files `oint-codegen generate` writes.
fn all_outputs(spec: &Path) -> usize {
    let model = oint_codegen::model(spec).expect("the synthetic spec is valid");
    oint_codegen::outputs::OUTPUTS
        .iter()
        .map(|output| (output.files)(&model).len())
        .sum()
}

/// Runs `f` once; false (and a note) when that took longer than [`LIMIT`].
fn quick_enough<T>(what: &str, f: impl FnOnce() -> T) -> bool {
    let start = Instant::now();
    black_box(f());
    let took = start.elapsed();
    if took > LIMIT {
        eprintln!("{what}: one run took {took:.1?}, over {LIMIT:?}: not benchmarked");
    }
    took <= LIMIT
}

fn spec_to_all_outputs(c: &mut Criterion) {
    let mut group = c.benchmark_group("spec_to_all_outputs");
    group.warm_up_time(Duration::from_millis(500));
    let mut previous: Option<(usize, Duration)> = None;
    for &methods in SIZES {
        let name = format!("spec_to_all_outputs/{methods}");
        // Even at linear cost the next size would be too slow: not even one run of it.
        if let Some((size, took)) = previous {
            let at_best = took.mul_f64(methods as f64 / size as f64);
            if at_best > LIMIT {
                eprintln!("{name}: one run would take {at_best:.1?} or more: not benchmarked");
                break;
            }
        }
        let dir = spec(methods);
        let start = Instant::now();
        let ok = quick_enough(&name, || all_outputs(dir.path()));
        previous = Some((methods, start.elapsed()));
        if !ok {
            break;
        }
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
    let mut step = |name: &str, f: &dyn Fn() -> usize| {
        if quick_enough(&format!("steps_1000/{name}"), f) {
            group.bench_function(name, |b| b.iter(|| black_box(f())));
        }
    };
    step("load_yaml", &|| {
        load::load(dir.path()).expect("loads").len()
    });
    step("validate_model", &|| {
        validate::validate(&files).expect("valid").libraries.len()
    });
    step("rust_files", &|| oint_codegen::rust_files(&model).len());
    step("emit_client", &|| emit::client::client(library).len());
    step("emit_cli", &|| emit::cli::cli(&model).len());
    step("emit_docs", &|| emit::docs::pages(&model).len());
    step("emit_openapi", &|| emit::openapi::document(library).len());
    group.finish();
}

criterion_group!(benches, spec_to_all_outputs, steps);
criterion_main!(benches);
