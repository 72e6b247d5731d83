"""AWS platform components (pulumi-aws); imported only when a stack chooses AWS."""
