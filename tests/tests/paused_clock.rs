//! The obvious test on tokio's paused clock against the simulator works
//! with the client it hands out, and with the one builder switch on a
//! client built by hand.

use camb_api_ext::{Camb, DubRequest, Error, Language};
use camb_simulator::{Simulator, TaskScript};

fn requests() -> Vec<DubRequest> {
    (0..6)
        .map(|i| {
            DubRequest::new(
                format!("https://example.com/{i}.mp4"),
                Language::EN_US,
                [Language::FR_FR, Language::ES_ES],
            )
        })
        .collect()
}

async fn dub_six(camb: &Camb) -> Result<(), Error> {
    for request in requests() {
        let outputs = camb.dub(&request).await?;
        assert_eq!(outputs.len(), 2);
    }
    Ok(())
}

fn slow_simulator() -> camb_simulator::SimulatorBuilder {
    // Many polls: the clock jumps minutes between them.
    Simulator::builder().default_script(TaskScript::default().pending_polls(40))
}

#[tokio::test(start_paused = true)]
async fn six_dubs_with_the_simulators_client() {
    let sim = slow_simulator().start().await;
    dub_six(&sim.camb().unwrap()).await.unwrap();
    assert_eq!(sim.task_ids().len(), 6);
}

#[tokio::test(start_paused = true)]
async fn six_dubs_with_the_one_switch_on_a_hand_built_client() {
    let sim = slow_simulator().start().await;
    let own = camb_api_ext::reqwest::Client::builder().pool_max_idle_per_host(2);
    let camb = Camb::builder()
        .api_key(sim.api_key())
        .base_url(sim.base_url())
        .http_client(own)
        .for_paused_clock()
        .build()
        .unwrap();
    dub_six(&camb).await.unwrap();
}

#[test]
fn the_switch_cannot_change_a_client_used_as_is() {
    let err = Camb::builder()
        .api_key("k")
        .reqwest_client(camb_api_ext::reqwest::Client::new())
        .for_paused_clock()
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { field: "reqwest_client", ref reason } if reason.contains("for_paused_clock")),
        "{err}"
    );
}
