"""Storage emulators for the pipeline tests: installers, processes and a cuttable proxy."""
