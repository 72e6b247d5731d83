-- Latest valid staff row with its department's name and location. Inputs: current_staff,
-- current_department.
SELECT s.staff_id, s.first_name, s.last_name, d.department_name, d.location, s.email_address,
    coalesce(s.is_deleted, false) AS is_deleted
FROM current_staff AS s
LEFT JOIN current_department AS d ON d.department_id = s.department_id
ORDER BY s.staff_id
