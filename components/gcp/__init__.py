"""GCP platform components (pulumi-gcp); imported only when a stack chooses GCP."""
