# exchange messages (en). Keys here must not repeat those of other files.
# Data exchange standards: cases to and from the Human Trafficking Case Data Standard (HTCDS v2.0)
# and the anonymised CTDC release with its privacy check.

nav-exchange = Data exchange
exchange-title = Data exchange
exchange-intro = Exchange cases with other systems in the Human Trafficking Case Data Standard (HTCDS v2.0, IOM), and release anonymised victim data in the variables of the Counter Trafficking Data Collaborative (CTDC).
exchange-from = From (offence date)
exchange-to = To (offence date)
exchange-format = File format
exchange-format-csv = CSV
exchange-format-xlsx = Excel (XLSX)
exchange-format-json = JSON

# HTCDS export and import.
exchange-htcds-export-heading = Export cases (HTCDS)
exchange-htcds-export-help = The cases of your unit (and those assigned or shared with you in full) whose offence date falls in the period, one row per person. Victims, witnesses and informants appear by pseudonym unless you revealed them; persons sealed by court order are left out. The export is recorded in the audit log.
exchange-htcds-export-button = Export
exchange-htcds-import-heading = Import an HTCDS file
exchange-htcds-import-help = A CSV, Excel or JSON file in the HTCDS layout. Every row is checked first: if one has an error, nothing is imported and every problem is listed. Cases already imported (by their HTCDS id) are skipped. Values that have no place in Nigehban are listed and kept with their case.
exchange-htcds-import-file = File
exchange-htcds-import-button = Import
exchange-export-done = { $file }: case(s): { $cases }; rows: { $rows }; protected persons withheld: { $withheld }.
exchange-import-done = { $file }: case(s) imported: { $added } ({ $numbers }); persons added: { $persons }; case(s) already here: { $skipped }.
exchange-import-nothing-new = { $file }: nothing new. Every case of this file was imported before (case(s): { $skipped }).
exchange-import-refused = { $file }: nothing was imported. { $problems } problems to correct:
exchange-unmapped-heading = Values without a Nigehban field ({ $count }): kept with their case and written back on export
exchange-unmapped-line = row { $row }, column { $column } ({ $header }): “{ $value }”: { $reason }
exchange-unmapped-no-field = Nigehban has no field for this column
exchange-unmapped-no-value = Nigehban has no equivalent of this value
exchange-warnings-heading = Worth a look
exchange-col-row = Row
exchange-col-column = Column
exchange-col-value = Value
exchange-col-why = Why

# Problems with an HTCDS file (located at file, row and column).
sheet-htcds-unexpected-sheets = The workbook holds the HTCDS table on one worksheet; these worksheets also hold data: { $others }. Remove them (or save the table alone) and import again.
sheet-htcds-unexpected-column = This column is not an HTCDS field Nigehban knows. Rename it to an HTCDS field name (for example prs_FirstName) or remove it.
sheet-htcds-duplicate-column = This column appears twice.
sheet-htcds-missing-key = No { $column } column: every row must name its case.
sheet-htcds-needs-column = The file has no { $column } column, which this case needs ({ $problem }).
sheet-htcds-case-differs = This row gives the case a different value from row { $first }: the rows of one case must agree.
sheet-htcds-person-differs = This row gives the person a different { $column } from row { $first }: rows of one person must agree.
sheet-htcds-derived-differs = This value does not match { $used }; { $used } was used.

# CTDC release.
exchange-ctdc-heading = Anonymised release (CTDC)
exchange-ctdc-help = Victims of the cases you may see whose offence date falls in the period, as CTDC variables: gender, age band, citizenship, country of exploitation, means of control, types of exploitation and labour, relation to the recruiter. No name, number, date or text leaves. The file is refused unless every combination of gender, age band, citizenship and country of exploitation is shared by at least k victims.
exchange-k = k (smallest group)
exchange-suppress = Suppress what is needed (rare values become “unknown”; victims still alone are left out)
exchange-ctdc-download = Download the released file
exchange-ctdc-button = Release
exchange-ctdc-done = Released { $rows } of { $victims } victims at k = { $k }: { $classes } groups, the smallest of { $smallest }. Suppressed: { $cells } cells set to unknown, { $records } victims left out.
exchange-ctdc-refused = Not released: { $reason }
ctdc-refused-k = k must be at least 2 (asked for { $k }).
ctdc-refused-class = a group of { $size } victims shares gender, age band, citizenship and country of exploitation ({ $class }); every group must hold at least { $k }. Allow suppression, or choose a longer period or a smaller k.
ctdc-refused-column = the table has a column that is not a CTDC variable ({ $column }).
ctdc-refused-value = row { $row }, column { $column } holds a value outside the column's vocabulary.
ctdc-refused-ragged = row { $row } has { $found } cells for { $expected } columns.
ctdc-refused-empty = fewer than { $k } victims could be released without singling anyone out.
