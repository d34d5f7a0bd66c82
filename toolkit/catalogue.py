"""The error catalogue: every problem code svcq reports, declared once, with a Chinese title
and description (docs/errors.md is generated from it; a test keeps the two equal, and the
test run fails on any Problem, SvcqError or Conflict whose code is not declared here).

``exit`` is what the code means for a command: 2 the input cannot be used at all, 1 the data
has problems the user must fix (nothing written), 0 a note or a conflict that was reported but
did not stop the command.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemType:
    code: str
    title: str  # a few words, shown as the kind of a problem (彙整紀錄, JSON "title")
    description: str  # what it means and what the user can do
    exit: int
    area: str  # the section of docs/errors.md


def _area(area: str, exit_code: int, *entries: tuple[str, str, str]) -> list[ProblemType]:
    return [ProblemType(code, title, text, exit_code, area) for code, title, text in entries]


_TYPES: list[ProblemType] = [
    *_area("輸入檔", 2,
           ("not-a-file", "不是檔案", "指定的路徑不存在、是資料夾，或是空檔案。請確認檔名與位置。"),
           ("empty-file", "空檔案", "檔案是 0 位元組，可能複製或下載時中斷了。請重新取得原檔。"),
           ("not-found", "找不到檔案", "指定的設定檔或輸入檔不存在。"),
           ("not-a-workbook", "不是試算表", "依檔案內容判斷不是 Excel、ODS 或 CSV（例如圖片、PDF、壓縮檔）。"),
           ("unsupported-format", "不支援的格式", "是可辨識但 svcq 不讀寫的格式（如 Word 文件、.xlsb），請用 Excel 另存為 .xlsx。"),
           ("encrypted", "設有密碼", "活頁簿設有開啟密碼；請先在 Excel 移除密碼再試，svcq 不會嘗試破解。"),
           ("corrupt-file", "檔案損毀", "檔案結構不完整或已損毀，讀取程式無法解讀。請重新取得原檔，或用 Excel 開啟後另存新檔。"),
           ("unsupported-compression", "不支援的壓縮方式", "壓縮方式不是 Excel 使用的方式（例如某些壓縮軟體的 Deflate64）；請用 Excel 另存新檔。"),
           ("bad-encoding", "文字編碼無法辨識", "CSV 或設定檔不是 UTF-8 或 Big5；請另存為 UTF-8。"),
           ("too-large", "檔案過大", "檔案超過 svcq 的安全上限（見 docs/safety.md）。"),
           ("too-many-parts", "壓縮成員過多", "活頁簿內含的檔案數量超過上限，可能是惡意檔案。"),
           ("too-many-sheets", "工作表過多", "活頁簿的工作表數量超過上限。"),
           ("too-many-strings", "字串過多", "共用字串表的筆數或大小超過上限。"),
           ("zip-bomb", "壓縮炸彈", "解壓後的大小或壓縮比超過上限，可能是惡意檔案，已停止讀取。"),
           ("xml-dtd", "含 DTD 的 XML", "試算表的 XML 不需要 DTD；含 DTD 可能是 XML 實體攻擊，一律拒絕。"),
           ("sheet-too-large", "工作表範圍過大", "工作表的使用範圍大到讀取時會耗盡記憶體；請刪除遠處誤填的儲存格。"),
           ("bad-cell-ref", "無效的儲存格位置", "工作表含有超出 XFD1048576 的儲存格位置，檔案可能已損毀或遭竄改。"),
           ("formula-without-value", "公式沒有計算結果", "公式格沒有儲存結果（程式產生、未曾以 Excel 開啟存檔）；請用 Excel 或 LibreOffice 開啟存檔後再試。"),
           ("data-in-hidden-sheet", "資料在隱藏工作表", "可見的工作表都是空的，資料在隱藏的工作表；請取消隱藏或指定工作表。"),
           ("no-sheet", "找不到工作表", "指定的工作表不存在，或活頁簿沒有可見的工作表。"),
           ("unknown-sheet", "找不到工作表", "儲存格位置中的工作表名稱不在活頁簿中。"),
           ("empty-sheet", "工作表是空的", "要讀取的工作表沒有任何資料。"),
           ("unsupported-encoding", "XML 不是 UTF-8", "工作表的 XML 不是 UTF-8 編碼，無法安全寫入；請用 Excel 另存新檔。"),
           ("csv-field-too-long", "CSV 欄位過長", "CSV 的一個欄位超過 Excel 儲存格上限 32,767 字（或 131,072 字的讀取上限），多半是少了結束的引號；訊息指出從第幾行起。"),
           ("bad-csv", "CSV 格式錯誤", "CSV 的某一行無法解讀（訊息指出第幾行）。"),
           ("excel4-macro", "Excel 4.0 巨集工作表", "活頁簿含有 XLM 巨集工作表（常被惡意檔案用來執行程式），svcq 不讀取；請確認來源，刪除巨集工作表後另存為 .xlsx。"),
           ("unusable-input", "無法使用的輸入", "輸入無法使用（訊息說明原因）。"),
           ),
    *_area("輸出與寫回", 2,
           ("no-output", "沒有指定輸出", "請以 -o 指定輸出檔，或加 --in-place 直接修改原檔（會先留備份）。"),
           ("output-is-input", "輸出檔就是輸入檔", "輸出會覆蓋輸入檔；要直接修改原檔請加 --in-place。"),
           ("output-is-dir", "輸出路徑是資料夾", "-o 需要檔名，不是資料夾。"),
           ("locked", "檔案開啟中", "檔案正由 Excel 或 LibreOffice 開啟（旁邊有 ~$ 或 .~lock 檔）；請先關閉。"),
           ("changed-on-disk", "檔案已被他人修改", "處理期間檔案被其他程式修改或移走；為免覆蓋他人的變更，未寫入。請重新執行。"),
           ("bad-extension", "副檔名不符", "輸出檔的副檔名與內容不符（例如含巨集須為 .xlsm），Excel 會拒絕開啟。"),
           ("no-libreoffice", "沒有 LibreOffice", "寫出或轉換 .ods 需要 LibreOffice；請安裝後再試，或改用 .xlsx。"),
           ("libreoffice-failed", "LibreOffice 轉換失敗", "LibreOffice 無法轉換此檔。"),
           ("libreoffice-timeout", "LibreOffice 逾時", "LibreOffice 在時限內沒有完成轉換。"),
           ("unit-names", "單位名稱重複", "兩個承辦單位的名稱轉成檔名後相同；請修改單位名稱。"),
           ("adopted-master-in-place", "自訂格式的總表不能直接更新", "總表是事務所自己的格式，彙整時 svcq 會先轉成標準管制表，所以要以 -o 寫到新檔。"),
           ("disk-full", "磁碟空間不足", "寫出或備份時磁碟已滿；未寫入任何檔案，原檔沒有變動。請清出空間後再試。"),
           ("cannot-write", "無法寫入", "資料夾唯讀、沒有權限、隨身碟或網路磁碟中斷等；訊息指出檔案與資料夾，原檔沒有變動。"),
           ("name-too-long", "檔名太長", "檔名超過檔案系統的上限（255 位元組）；請縮短檔名。"),
           ("backup-failed", "備份讀回不符", "--in-place 的備份寫入後讀回與原檔不符（磁碟可能有問題），未修改原檔。"),
           ("unsupported-structure", "無法安全寫入的結構", "修改後的 XML 讀回與預期不符（svcq 不認得的寫法），為免損壞檔案未寫入；請用 Excel 另存新檔後再試。"),
           ("os-error", "檔案系統錯誤", "讀寫檔案時作業系統回報錯誤（訊息指出檔案）。"),
           ),
    *_area("儲存格（cells）", 1,
           ("bad-address", "儲存格位置錯誤", "位置應寫成 工作表!B3 或 B3。"),
           ("bad-assignment", "寫法錯誤", "應寫成 工作表!B3=值。"),
           ("ambiguous-value", "值的型別不明", "以 = 開頭的值，或年份不確定的日期（如 24/02/26）：要寫入公式請加 --formula，要當作文字請加 --text，日期請寫成 113/2/26 或 2024/2/26。"),
           ("duplicate-address", "同一格指定兩次", "同一儲存格在一次指令中被指定了兩次。"),
           ("range-too-large", "範圍過大", "要讀取的範圍超過上限。"),
           ("bad-sheet-name", "工作表名稱不合法", "Excel 的工作表名稱不可含 []:*?/\\，且最多 31 字。"),
           ("not-a-worksheet", "不是一般工作表", "圖表或對話方塊工作表不能寫入儲存格。"),
           ("merged-cell", "合併儲存格", "此格在合併儲存格內（不是左上角那格），寫入後看不到；請寫入合併範圍的左上角。"),
           ("array-formula", "陣列公式", "此格屬於陣列公式，單獨改寫會破壞公式。"),
           ("table-header", "表格標題", "此格是 Excel 表格的欄名，改寫會讓 Excel 要求修復；請在 Excel 修改欄名。"),
           ("pivot-table", "樞紐分析表", "此格在樞紐分析表（或其報表篩選區）內，內容由 Excel 計算，不能直接修改；請修改來源資料後在 Excel 重新整理。"),
           ("empty-formula", "空白公式", "公式是空的。"),
           ("not-finite", "不是有限的數字", "NaN 或無限大不能寫入 Excel。"),
           ("bad-text", "無效字元", "文字含有 Excel 不接受的控制字元。"),
           ("text-too-long", "文字過長", "文字超過 Excel 儲存格上限 32,767 字。"),
           ),
    *_area("讀入的資料", 1,
           ("cell-error", "儲存格是錯誤值", "儲存格顯示 #DIV/0!、#N/A、#VALUE! 等錯誤值（多半是公式出錯）；svcq 不把它當成空白、標記或答案，請修正該格。"),
           ),
    *_area("作業時程管制表", 1,
           ("missing-header", "找不到標題列", "計畫清單或管制表的前幾列找不到需要的欄位名稱。"),
           ("missing-value", "欄位空白", "計畫項目、承辦單位、工作內容等必要欄位是空白的。"),
           ("bad-months", "預定月份無法判讀", "預定月份可寫 1-3,6、3月、6月、全年、每月、上半年等。"),
           ("item-mismatch", "同一編號不同計畫項目", "同一編號的各列須為同一計畫項目。"),
           ("duplicate-task", "工作重複", "同一編號下有兩列相同的工作內容（或同一工作的預定／實際列重複）。"),
           ("empty-plan", "計畫清單沒有工作", "計畫清單的標題列下沒有任何工作列。"),
           ("no-row-kind", "看不出是預定或實際列", "有月份標記的列，「預定/實際」欄不是「預定」或「實際」。"),
           ("bad-completion", "完成度無法判讀", "完成度應為 0%–100%（例：80%、0.8）。"),
           ("not-a-control-sheet", "不是管制表", "找不到作業時程管制表的標題列（編號、工作內容與 1月…12月）。"),
           ("no-year", "看不出年度", "總表標題看不出民國年度。"),
           ("master-not-xlsx", "總表不是 .xlsx", "彙整要寫回總表，總表須為 .xlsx；可先另存為 .xlsx。"),
           ("split-overwrite", "會覆蓋已填寫的分送檔", "資料夾中已有課室填寫過的分送檔（或同名的其他檔案）；重新分送會覆蓋，所以未寫出任何檔案。請先彙整（schedule collect）或移走該檔。"),
           ),
    *_area("採用事務所自己的管制表（schedule adopt）", 1,
           ("no-month-columns", "找不到月份欄", "需要一列依序寫著 1…12、1月…12月 或 一月…十二月 的標題，或「月份」欄逐列寫一月…十二月的月別計畫表。"),
           ("no-task-column", "找不到工作內容欄", "標題列中找不到「工作內容」或「計畫項目」（月別計畫表則是「推動計畫目標」）。"),
           ("header-conflict", "標題列互相矛盾", "同一欄在兩列標題中寫著不同的欄名，或兩列月份標題對不上；請刪除或改正其中一列。"),
           ("year-conflict", "年度不一致", "標題與「預定作業時程」上方寫的年度不同；請改正，或以 --year 指定。"),
           ("no-unit", "看不出承辦單位", "沒有承辦單位欄，計畫項目後也沒有「(課室)」；請填寫，或以 --unit 指定。"),
           ("unit-conflict", "承辦單位前後不一致", "承辦單位欄與計畫項目括號內寫的單位不同，或同一目標在各月寫了不同單位。"),
           ("unknown-shared-unit", "共同承辦單位無法判讀", "「各課」但表上沒有其他單位，或「資料課」可能是表上兩個單位之一；請寫出完整單位名稱。"),
           ("unplaced-row", "無法歸屬的列", "這一列有月份標記或內容，但看不出是哪一項工作的預定或實際。"),
           ("missing-id", "計畫項目沒有編號", "表上有編號欄，但這個計畫項目的編號是空白的。"),
           ("no-planned-months", "沒有預定月份", "這項工作沒有任何網底或記號標示的預定月份。"),
           ("ambiguous-marks", "標記意義不明", "網底與記號不一致、用了兩種記號或兩種網底顏色，看不出是預定還是實際；請加註圖例（例：「網底表示預定，●表示實際」）或統一標示。"),
           ("shading-unreadable", "無法讀取網底", "此檔的網底無法讀取（.ods/.xls 需 LibreOffice），表上也沒有記號；請改以記號標示或另存為 .xlsx。"),
           ("bad-month-label", "月份無法判讀", "月別計畫表的「月份」欄不是一月…十二月。"),
           ("conflicting-values", "同一工作的欄位寫得不同", "同一工作的兩列在完成度、落後原因或備註寫了不同的值。"),
           ("no-tasks", "沒有任何工作列", "標題列下方沒有任何工作列。"),
           ),
    *_area("彙整衝突（未套用，列於彙整紀錄）", 0,
           ("planned-changed", "預定列被修改", "課室改了預定月份；預定月份只能由總表修改，此修改未套用。"),
           ("other-unit", "非本單位工作", "回報檔修改了其他單位的工作，未套用。"),
           ("unknown-task", "總表沒有此工作", "回報檔中的工作不在總表中（編號或工作內容被改過），未套用。"),
           ("unknown-unit", "看不出回報單位", "填報單位、檔名都對不上，且含多個單位的工作，整份未套用。"),
           ("disagree", "多份回報不一致", "同一工作在多份回報中的內容不同，皆未套用。"),
           ("bad-value", "值無法判讀", "回報檔中此格的值無法判讀（例如完成度「很多」），該欄未套用。"),
           ("no-cell", "總表沒有可寫入的格", "總表中此工作沒有可寫入的儲存格（實際列可能被刪除），未套用。"),
           ),
    *_area("滿意度調查", 1,
           ("bad-questionnaire", "問卷設定有誤", "問卷設定檔的內容有誤（訊息指出哪一項）。"),
           ("bad-yaml", "YAML 格式錯誤", "設定檔不是正確的 YAML（訊息指出第幾行）。"),
           ("no-questions", "找不到題目欄", "各欄的內容都不是「非常滿意…非常不滿意」或代碼 1–5；請用問卷設定檔指定題目。"),
           ("missing-column", "缺少欄位", "問卷設定或交叉分析指定的欄位不在標題列中。"),
           ("duplicate-column", "欄名重複", "標題列有兩個以上同名的欄，無法判斷要用哪一欄。"),
           ("bad-answer", "答案無法辨識", "答案不是量表上的選項或代碼；可加 --lenient 以未填答計並列出。"),
           ("bad-population", "母體人數不合理", "母體人數小於受訪人數。"),
           ("no-labels", "次數表沒有選項標題", "次數表找不到標示「非常滿意…非常不滿意」的標題列。"),
           ("bad-count", "次數不是整數", "次數應為 0 或正整數。"),
           ("bad-total", "合計不符", "表上的合計與各欄加總不符。"),
           ("no-name", "沒有項目名稱", "這一列有次數但沒有項目名稱。"),
           ("no-rows", "沒有次數資料", "次數表的標題列下沒有任何資料。"),
           ("report-year", "看不出年度", "趨勢或比較的檔案須標明年度（113=回覆.xlsx，或檔名含年度），且每年一個。"),
           ),
    *_area("自評評分", 1,
           ("no-rubric", "找不到評分基準", "內建的評分基準或指定的檔案不存在，或無法判斷表上用哪個評分基準。"),
           ("bad-rubric", "評分基準有誤", "評分基準的內容有誤：配分不是數字、上層配分不等於下層加總等。"),
           ("rubric-mismatch", "評分基準不同", "兩份評分使用不同的評分基準，無法比較。"),
           ("no-header", "找不到自評表標題列", "需要「構面」「項目」「配分」「自評分數」等欄位名稱。"),
           ("no-score-column", "找不到分數欄", "找不到「自評分數」欄或各次測試的分數欄。"),
           ("no-leaf-name", "沒有指標名稱", "這一列有分數但沒有指標名稱。"),
           ("unknown-leaf", "不是計分項目", "此列的名稱不是評分基準的計分項目。"),
           ("duplicate-leaf", "計分項目重複", "同一計分項目出現兩次。"),
           ("missing-leaf", "缺少計分項目", "評分基準的計分項目在表上找不到，或沒有分數。"),
           ("unscored", "尚未評分", "計分項目的分數是空白的；可加 --blank-as-zero 以 0 分計。"),
           ("not-a-number", "分數不是數字", "分數應為數字（可含小數）。"),
           ("negative", "分數為負", "分數不可為負數。"),
           ("over-cap", "超過配分", "分數超過此項目的配分。"),
           ("number-as-text", "數字存成文字", "分數是文字格式的數字，Excel 的 SUM 不會加總它；svcq 仍照數字計分，請在 Excel 改為數字。"),
           ("conflict", "各檔分數不一致", "同一項目在各課室檔案中的分數不同；請以 --prefer first 或 last 決定。"),
           ("conflict-settled", "分數不一致（已依設定處理）", "同一項目各檔分數不同，已依 --prefer 採用其中一個。"),
           ("same-file", "兩個檔案相同", "比較需要兩份不同的評分。"),
           ),
    *_area("填寫表單（fill）", 1,
           ("fill-bad-placeholder", "欄位寫法有誤", "大括號不成對、{{ }} 中沒有路徑，或路徑寫法有誤（例如 score..total）；欄位應寫成 {{ score.total }}。"),
           ("fill-no-data", "沒有這份資料", "路徑的第一段不是任何 --data 的名稱；請以 --data 名稱=檔案 提供。"),
           ("fill-unknown-path", "沒有這個欄位", "資料中沒有路徑指的欄位（訊息列出有哪些），或已是單一值卻還往下指。"),
           ("fill-no-item", "清單中沒有此項目", "清單中沒有這個名稱的項目（訊息列出有哪些），或沒有第 N 項（項次從 1 起算）。"),
           ("fill-ambiguous-item", "項目不只一個", "清單中有兩項同名，或數字可能是名稱也可能是項次；請改用項次 [N] 或名稱 [\"…\"]。"),
           ("fill-not-a-value", "不是單一值", "路徑指到一組資料或一個清單，不能填入一格；請再指定其中一項。"),
           ("fill-formula-cell", "欄位在公式格", "欄位所在的格子是公式，看到的是公式的結果；svcq 不以數值覆寫公式。"),
           ("fill-name-target", "名稱不是單一儲存格", "Excel 名稱須指向單一儲存格才能填入（不是範圍、常數或不存在的工作表）。"),
           ("fill-unknown-name", "活頁簿沒有此名稱", "--name 對應的 Excel 名稱不在活頁簿中。"),
           ("fill-duplicate-cell", "同一格指定兩次", "同一格同時由 {{…}} 與 Excel 名稱（或兩個名稱）指定。"),
           ("fill-no-placeholders", "表單沒有欄位", "表單中找不到任何 {{ 路徑 }}，也沒有與資料同名的 Excel 名稱。"),
           ),
    *_area("填寫表單的提醒（照常寫出）", 0,
           ("fill-rate-in-general-cell", "比率在通用格式儲存格", "比率以 0–1 的小數填入；儲存格是通用格式時顯示成 0.918，請把格式設為百分比。"),
           ("fill-not-in-cell", "欄位不在儲存格", "頁首頁尾、文字方塊、圖表或註解中的 {{…}} 不會被替換；svcq 只填儲存格與 Excel 名稱。"),
           ("fill-unused-data", "資料沒有用到", "某份 --data 沒有被表單中任何欄位使用，常是名稱打錯。"),
           ("fill-name-not-a-path", "名稱像欄位但不是路徑", "Excel 名稱以「_」分隔（如 score_total，LibreOffice 存成 .xls 時會把「.」改成「_」），未填入；請改名或以 --name 對應。"),
           ),
    *_area("填寫表單的資料（fill --data）", 2,
           ("bad-json", "JSON 格式錯誤", "--data 的 JSON 檔無法解讀（訊息指出第幾行第幾字）；請用 svcq 指令加 --json 重新產生。"),
           ("fill-data-kind", "看不出資料種類", "--data 給的是活頁簿時，名稱須是 score、survey、status、votes、trend、compare 之一，svcq 才知道要怎麼計算；或先以 --json 存成 JSON。"),
           ),
    *_area("報告", 2,
           ("report-kind", "沒有這種報告", "可用的報告：schedule、survey、score、phone。"),
           ("report-inputs", "輸入檔數量不符", "此報告需要的輸入檔數量不同（見 svcq report --help）。"),
           ("report-param", "參數錯誤", "參數應寫成 名稱=值，且須是此報告有的參數。"),
           ("report-notebook", "找不到報告 notebook", "安裝不完整，找不到報告使用的 notebook。"),
           ("report-input", "報告的輸入有問題", "報告讀取輸入時發現問題（訊息指出檔案與儲存格）。"),
           ("report-cell", "報告執行失敗", "報告 notebook 的某一格執行失敗。"),
           ("missing-input", "找不到輸入檔", "報告的輸入檔不存在。"),
           ("no-kernel", "找不到 Jupyter kernel", "請在專案資料夾執行 make，或 python -m ipykernel install --sys-prefix。"),
           ("usage", "用法錯誤", "選項或參數的組合不能使用（訊息說明原因）。"),
           ),
]

CATALOGUE: dict[str, ProblemType] = {t.code: t for t in _TYPES}
assert len(CATALOGUE) == len(_TYPES), "a code is declared twice"


def title_of(code: str) -> str:
    """The Chinese title of ``code`` (the code itself if it is not declared)."""
    entry = CATALOGUE.get(code)
    return entry.title if entry else code


def markdown() -> str:
    """docs/errors.md: the catalogue as a page, one table per area."""
    lines = ["# 問題代碼一覽", "",
             "svcq 回報的每個問題都有一個代碼。`--json` 輸出中的 `code` 就是下表的代碼；",
             "`exit` 是指令結束代碼：2 無法使用的輸入、1 資料有問題（未寫出任何檔案）、",
             "0 已列出但不影響執行（例如彙整衝突）。", "",
             "本頁由 `toolkit/catalogue.py` 產生（`make docs`），請勿手動修改。", ""]
    for area in dict.fromkeys(t.area for t in _TYPES):
        lines += [f"## {area}", "", "| 代碼 | 名稱 | 說明 | exit |", "|---|---|---|---|"]
        lines += [f"| `{t.code}` | {t.title} | {t.description} | {t.exit} |"
                  for t in _TYPES if t.area == area]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(), end="")
