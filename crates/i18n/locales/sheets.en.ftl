# sheets messages (en). Keys here must not repeat those of other files.
# Spreadsheet import and export (crate nigehban-sheets): where a problem is, what is wrong with a
# file, its columns or a row, and labels for the import report.

# Where a problem is. $message is the problem in words.
sheet-located-file = { $file }: { $message }
sheet-located-row = { $file }, row { $row }: { $message }
sheet-located-column = { $file }, column { $column } ({ $header }): { $message }
sheet-located-cell = { $file }, row { $row }, column { $column } ({ $header }): { $message }
sheet-unnamed-header = no header
sheet-severity-error = Error
sheet-severity-warning = Warning

# Reading the file.
sheet-empty-file = The file is empty.
sheet-not-a-table = This is not a CSV or Excel file (it looks like: { $kind }). Save the list as .xlsx or .csv and import that.
sheet-unreadable = The workbook could not be read ({ $detail }). Open it in a spreadsheet program and save it again as .xlsx or .csv.
sheet-encrypted = The workbook is protected by a password. Remove the password (or save an unprotected copy) and import again.
sheet-no-sheet = The workbook has no worksheet with data.
sheet-other-sheets = Only the worksheet “{ $sheet }” was read; these worksheets also hold data and were not imported: { $others }.
sheet-no-header = No header row: the first filled row must name the columns.
sheet-rows-above-header = Rows { $rows } above the header row were skipped (titles or notes).
sheet-too-large = The file has { $rows } rows; at most { $max } can be imported at once. Split the list.
sheet-unclosed-quote = A quotation mark opened in this row is never closed, so the rest of the file cannot be split into rows.
sheet-mixed-encodings = This row is in a different character encoding (Windows-1252) from the rest of the file (UTF-8), so its letters may be wrong. Save the whole file as “CSV UTF-8” and import it again.
sheet-invalid-text = This row has characters that cannot be read as { $encoding }.
sheet-ragged-row = This row has { $found } cells but the header names only { $expected } columns: the values from column { $from } on have no header.

# Columns.
sheet-missing-column = No column for the person's name. Head one of the columns, for example: { $accepted }.
sheet-duplicate-column = Columns { $first } and { $second } both give the { $field }; keep only one.
sheet-ignored-column = Column not recognised: its values are not imported.
sheet-unnamed-column = This column has values but no header: they are not imported.
sheet-no-rows = The file has a header (row { $header_row }) but no rows below it.
sheet-no-sex-column = The list has no column for sex: everyone is recorded with sex unknown.
sheet-config-invalid = The column definitions built into Nigehban are invalid ({ $detail }). Tell the system administrator.

# Rows.
sheet-empty-name = The name is empty.
sheet-formula = Starts with “{ $first }”, which a spreadsheet would run as a formula. Such values are refused: correct the cell in the list.
sheet-duplicate-passport = Passport number { $value } is already in row { $earlier }.
sheet-duplicate-cnic = CNIC { $value } is already in row { $earlier }.
sheet-duplicate-row = This row repeats row { $earlier }.
sheet-sex-blank = Sex not given: recorded as unknown.
sheet-dob-year-only = Only the year of birth ({ $value }) is given: the age is recorded as an estimate.
sheet-age-mismatch = The age given ({ $age }) does not match the date of birth (age { $computed }); the date of birth is kept.
sheet-unknown-district = “{ $value }” is not a district in the gazetteer. It is kept as written, to be checked.
sheet-origin-is-country = “{ $value }” is a country, not a district. It is kept as written, to be checked.

# What a column means (manifest fields).
sheet-field-serial = serial number
sheet-field-full-name = name
sheet-field-given-name = given name
sheet-field-surname = surname
sheet-field-father-name = father's name
sheet-field-name-urdu = name (Urdu script)
sheet-field-father-name-urdu = father's name (Urdu script)
sheet-field-sex = sex
sheet-field-date-of-birth = date of birth
sheet-field-age = age
sheet-field-cnic = CNIC
sheet-field-passport = passport number
sheet-field-passport-country = passport's issuing country
sheet-field-nationality = nationality
sheet-field-origin-district = district of origin
sheet-field-phone = phone number
sheet-field-address = address
sheet-field-remarks = remarks
sheet-field-arrival-date = date of deportation or arrival
sheet-field-reason = reason for deportation
sheet-field-flight-or-vessel = flight or vessel

# How the file was read, and the import report.
sheet-format-csv = CSV file, { $encoding }, separated by { $delimiter }
sheet-format-xlsx = Excel workbook, worksheet “{ $sheet }”
sheet-format-xls = Excel 97-2003 workbook, worksheet “{ $sheet }”
sheet-format-ods = OpenDocument spreadsheet, worksheet “{ $sheet }”
sheet-delimiter-comma = commas
sheet-delimiter-semicolon = semicolons
sheet-delimiter-tab = tabs
sheet-delimiter-pipe = vertical bars
sheet-summary = Rows read: { $total }. Valid: { $valid }. Rejected: { $rejected }.
sheet-commit-all-or-nothing = Import all rows or none
sheet-commit-valid-rows = Import the valid rows and list the rejected ones
