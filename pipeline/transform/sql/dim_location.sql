-- Every address is a possible delivery location. Inputs: current_address.
SELECT address_id AS location_id, address_line_1, address_line_2, district, city, postal_code,
       country, phone, coalesce(is_deleted, false) AS is_deleted
FROM current_address
ORDER BY location_id
