-- Inputs: current_design.
SELECT design_id, design_name, file_location, file_name,
    coalesce(is_deleted, false) AS is_deleted
FROM current_design
ORDER BY design_id
