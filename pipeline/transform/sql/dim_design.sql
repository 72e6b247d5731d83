-- Inputs: current_design.
SELECT design_id, design_name, file_location, file_name
FROM current_design
ORDER BY design_id
