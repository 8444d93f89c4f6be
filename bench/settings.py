"""Settings of the benchmark's deployment: the production settings, plus one bare view (the
ceiling every figure is compared with) that production does not have."""

from ventanilla.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
