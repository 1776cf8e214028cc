"""Chinese descriptions of every registered field and table (the English ones are on the
registration itself, ``metadata/fields_*.py``). The Chinese data dictionary
(``docs/data_dictionary.zh.md``) is generated from here; ``tests/test_data_dictionary.py``
fails when a registered field or table has no entry — add one when you register a column.
"""

from __future__ import annotations

FIELDS_ZH: dict[str, str] = {
    # --- geography (plan) ---
    "township": "规范的乡镇名称（乡/镇），与 plan_townships 一致",
    "village": "规范的行政村名称，带“村”字",
    "township_type": "乡或镇",
    "township_pinyin": "乡镇规范名称的拼音",
    "township_en": "乡镇的英文名",
    "aliases": "规划或导出数据中出现的其他写法，用“|”分隔",
    "is_poor_village": "是否为规划第5条列出的56个贫困村之一",
    "exit_year": "规划（第5条）安排该村退出贫困的年份",
    "village_as_written": "规划原文中的村名写法",
    "township_as_written": "规划原文中的乡镇名写法",
    "geography": "地域：华池县、某个规范乡镇名，或“乡镇/村”",
    # --- plan targets ---
    "target_id": "规划目标的固定编号（T-条款-序号）",
    "indicator_id": "目标所属的指标序列编号；同一指标的各阶段目标共用",
    "clause": "规划条款，如 7(3)",
    "domain": "政策领域",
    "indicator_zh": "指标中文名",
    "indicator_en": "指标英文名",
    "scope": "目标针对的对象范围",
    "period_start": "目标覆盖的第一年",
    "period_end": "目标期限（年份）",
    "target_kind": "承诺的类型：baseline 基数（登记事实，不评价）、level 水平目标、flow 年度目标"
                   "（一年之内）、cumulative 累计目标（逐年相加）、yearly_rate 每年目标、"
                   "standing_rule 持续要求（自 period_start 起每年）、per_unit 每单位最低要求"
                   "（每户、每村……）、deadline 限期完成（完成/未完成）",
    "comparator": "实际值与目标值的比较方式（“=”为规划数量，在改善方向上达到即可；“≈”为约数）",
    "value": "以 unit 为单位的数值（规划目标：规划原文写的数字）",
    "unit": "value 的单位（规划目标：原文的单位，如 万亩、%、人）",
    "value_base": "换算到 unit_base 的数值",
    "unit_base": "统一后的单位（mu 亩、people 人、yuan 元、percent 百分比、kVA、km 公里……）",
    "direction": "实际值越高越好（higher）还是越低越好（lower）",
    "per_unit": "每单位最低要求的单位（每户、每村……）；实际值为达到要求的单位所占百分比",
    "year_is_inferred": "规划在此处未写年份：period_end 取自别的句子、期限或规划终点（2020年），"
                        "见 ambiguity",
    "is_approximate": "规划写的是约数（约……）",
    "income_concept": "收入目标的口径：disposable 可支配收入、net 纯收入；建档立卡系统记录的是"
                      "人均纯收入（net）",
    "quote": "规划原文中包含该数字的最短原句",
    "ambiguity": "规划对该目标表述不明确或前后矛盾之处",
    # --- derived facts ---
    "derived_id": "推算事实的固定编号",
    "name_zh": "中文名",
    "name_en": "英文名",
    "year": "年份（公历）",
    "derived_value": "计算得到的数值",
    "derived_unit": "derived_value 的单位",
    "method": "计算方法（文字公式）",
    "inputs": "参与计算的 target_id，用“|”分隔",
    "is_derived": "恒为真：由程序计算，不是规划原文写明的",
    # --- plan audit ---
    "finding_id": "一致性问题的固定编号",
    "kind": "一致性问题的类别：contradiction 相互矛盾、tension 难以相互印证、arithmetic 数字对不上、"
            "naming 同一地名写法不一",
    "description": "问题说明（英文）",
    "description_zh": "问题说明（中文）",
    "quote_a": "一方的规划原文",
    "quote_b": "另一方的规划原文",
    # --- number ledger ---
    "number": "规划原文中的数字（阿拉伯数字或中文数字）或“全部、全覆盖、每个”等全称词，按原文",
    "context": "该数字前后的规划原文",
    "category": "该数字不是目标的原因类别",
    "reason": "原因说明",
    # --- registry ---
    "household_key": "农户假名键（由户编号加密生成）",
    "person_key": "人员假名键（由证件号码生成，无证件号码时由人编号生成）",
    "village_is_poor": "该村是否为规划的56个贫困村之一",
    "sex": "性别，导入时由身份证号推出（随后号码即被替换为假名）",
    "age_band": "数据年份时的年龄段，导入时由身份证号推出（不保留出生年份：与村、性别和"
                "与户主关系合在一起，能认出三分之一的人）",
    "relation": "与户主关系（代码；代码以外的值记为“其他”）",
    "ethnicity": "民族（代码；代码以外的值记为“其他”）",
    "education": "文化程度（代码；代码以外的值记为“其他”）",
    "schooling": "在校生状况（代码；代码以外的值记为“其他”）",
    "health": "健康状况（代码；代码以外的值记为“其他”）",
    "labour": "劳动技能（代码；代码以外的值记为“其他”）",
    "migrant_work": "务工状况（代码；代码以外的值记为“其他”）",
    "months_away": "务工时间（月）",
    "critical_illness_insurance": "是否参加大病医疗",
    "household_size": "导出数据中的家庭人数（人数；1至50，否则为空）",
    "members_listed": "导出数据中该户的成员行数",
    "household_type": "贫困户属性（旧写法已统一：低保户→低保贫困户，五保户→特困供养贫困户）",
    "main_cause": "主要致贫原因",
    "exit_status": "脱贫属性（统一后；系统代码1和4均记为已脱贫）",
    "exit_status_code": "导出数据中的脱贫属性原值（文字或系统代码，经 NFKC 规范化）",
    "registry_exit_year": "系统记录的脱贫年度",
    "income_per_capita": "家庭人均纯收入",
    "dangerous_house": "是否危房户",
    "safe_water": "饮水是否安全",
    "water_difficulty": "是否饮水困难",
    "is_synthetic": "是否由合成（生成的模拟）数据得到，而非真实导出数据",
    "source_file": "该行来自的文件名（不含目录；其中的姓名、证件号码或电话已遮盖）",
    "source_row": "该行在文件中的行号（从1起，与 Excel 显示一致）",
    # --- findings ---
    "column": "问题所在的栏目（导出表头）",
    "masked_value": "有问题的值；个人信息已遮盖",
    "rule": "检查规则编号",
    "rule_zh": "检查规则（中文说明，与构建输出和简报的用语相同，如“行政村为空”）",
    "severity": "error：该行被隔离；warning：该行保留，记录问题",
    "message": "应当是什么（文字说明）",
    "finding_year": "问题所在行的数据年份（年度栏，否则取文件的年份）；无法确定时为空（不会是0）",
    "primary": "隔离行在汇总 quarantine_reasons 中计入的那条错误（按规则顺序的第一条）；"
               "警告及同一行的其他错误为假",
    # --- inputs and actuals ---
    "source": "数据来源（报送部门、文件）；生成的数据为 synthetic",
    "origin": "department（部门报送）或 published（公开发布的统计数，public_statistics.csv）",
    "source_sheet": "该行来自的工作表（CSV 为空）",
    "finding_row": "问题所在的行号，与 Excel 或文本编辑器显示一致（CSV 的表头为第1行）；"
                   "针对整个文件的问题为空",
    "finding_subject": "该行的 target_id（填报表）或 indicator_id（长表 CSV），按原文",
    "poverty_line": "国家农村贫困线（当年价，元/年；当年无贫困线时为空）",
    "rural_population": "农村（农业户籍）人口",
    # --- progress ---
    "level": "该行的地域层级（county 全县、township 乡镇、village 村）",
    "breakdown": "分类（致贫原因构成中的原因）；合计行为空",
    "note": "数值缺失的原因或取得方式的说明",
    "actual": "所用的实际值，单位为目标的 unit_base（累计目标：自 period_start 至评价年份逐年"
              "实际值之和，有年份缺报时为空；每单位最低要求：达标单位所占百分比；限期完成："
              "1=是，0=否；基数：系统中基期年份的数值）",
    "target": "目标值（unit_base 单位，即规划目标的 value_base）",
    "pct_achieved": "完成度 = 实际值 ÷ 目标值 × 100，只用于越高越好的数量目标（越低越好、"
                    "限期完成、基数和数据不全的行为空）；取值限制在 0 至 1000",
    "progress_ratio": "实际进度 ÷ 应有进度（从基期到目标的直线路径；规划写明基期数时以其为起点），"
                      "到期前据此判断进度正常（≥0.95）、有风险（≥0.5）或进度落后；限制在 −1 至 10",
    "gap": "在改善方向上还差多少（unit_base 单位，比率为百分点；越高越好：目标−实际，越低越好："
           "实际−目标），达到时 ≤0；基数行为系统数−规划数",
    "status": "进展状态（规则见 docs/progress_method.md）",
    "years_missing": "累计或逐年目标中没有报数的年份，用“|”分隔（如 2016|2017）",
    "years_not_met": "每年目标与持续要求中未达标的年份，用“|”分隔",
    "actual_origin": "所用数字的来源：registry 建档立卡、department 部门报送、published 公开"
                     "统计（混合时用“|”分隔）",
    "actual_is_synthetic": "所用数字中是否有合成（生成的）数据",
    "actual_provenance": "所用数字的数据来源，能确定时含文件、工作表和行号",
    "series": "该行所属的序列：milestones 阶段目标（写明或插值）、yearly 每年目标或持续要求、"
              "cumulative_起年_止年（某个累计目标从零起的路径）",
    "share_of_county": "乡镇实际值占全县实际值的百分比（只有全县目标的可加指标）",
    "planned": "当年的规划值（unit_base 单位，写明或插值）",
    "planned_is_derived": "规划值是插值得到的，不是规划写明的",
    "incidence": "贫困发生率：贫困人口 ÷ 农村人口 × 100",
    "exit_threshold": "贫困村视为退出的贫困发生率阈值",
    "actual_exit_year": "该村贫困发生率首次低于阈值的年份",
    "exited": "截至该行年份该村是否已退出（发生率低于阈值）",
    "relapsed": "退出后发生率又回到阈值或以上",
    "schedule_status": "退出与规划时序的对照",
    "finding": "脱贫核查发现的类别",
    # --- aggregates the briefings read (progress/briefing_tables.py) ---
    "households": "计入的建档立卡户数（收入表：有人均纯收入的户；exit_audit_counts：有该项发现的户）",
    "income_min": "各户人均纯收入的最小值",
    "income_max": "各户人均纯收入的最大值",
    "income_p25": "人均纯收入的第一四分位数（精确值，线性插值，同 numpy.percentile）",
    "income_median": "各户人均纯收入的中位数（按户，不加权；精确值）",
    "income_p75": "人均纯收入的第三四分位数（精确值，线性插值）",
    "income_whisker_low": "箱线图下须：不低于 p25 − 1.5 × 四分位距的最低收入（matplotlib 的规则）",
    "income_whisker_high": "箱线图上须：不高于 p75 + 1.5 × 四分位距的最高收入",
    "outlier_households": "收入在须线以外的户数（逐一列在 income_outliers）",
    "households_below_line": "人均纯收入低于当年贫困线的户数（poverty_lines 中没有当年贫困线时为空）",
    "bin": "直方图分组序号，0 为最低组：从最低到最高收入等宽分组，组数为 min(40, max(10, 户数 ÷ 15))",
    "income_lower": "分组下限（含）",
    "income_upper": "分组上限（不含；最后一组含）",
}

TABLES_ZH: dict[str, str] = {
    "plan_townships": "华池县15个乡镇及规划中的各种写法。",
    "plan_villages": "规划点名的村：第5条的56个贫困村及其规划退出年份，以及规划提到的其他村。"
                     "以（乡镇，村）为键。",
    "plan_targets": "规划的每一项承诺一行（数量、每年比率、规定、每单位最低要求、限期完成或"
                    "第1条的基数），并注明类型。",
    "plan_derived": "由程序根据规划目标计算出的事实（不手工填写）。",
    "plan_audit": "规划自身不一致之处（矛盾、难以印证、数字对不上、地名写法），列出双方原文；"
                  "单个目标的不明确之处记在该目标行。",
    "plan_number_ledger": "规划原文中不是目标的数字（阿拉伯数字、中文数字）和全称词，及其原因。",
    "registry_persons": "每个建档立卡人员每年一行（导出数据的成员行）。",
    "registry_households": "每个建档立卡户每年一行；户级信息取自其成员行（成员行之间必须一致）。",
    "registry_findings": "导入时的每一条检查结果：错误（该行隔离）和警告（该行保留）。"
                         "按 rule 统计 primary 为真的行即得汇总中的 quarantine_reasons。",
    "indicator_actuals": "部门报送的指标实际值（长表），已对照规划校验。",
    "actuals_findings": "data/raw/actuals/ 中发现的每个问题：错误（该单元格或行被隔离，构建继续）"
                        "和警告（值保留）。",
    "poverty_lines": "各年国家农村贫困线及来源（输入表）。",
    "rural_population": "各乡镇各年农村人口（输入表；乡镇和全县贫困发生率的分母）。",
    "village_population": "各行政村各年农村人口（输入表；村贫困发生率的分母，也决定贫困村退出）。",
    "progress_registry": "建档立卡指标，按年份和地域（全县、各乡镇、各贫困村），长表；由 "
                         "registry_households 计算（人数 = members_listed）。各指标的定义见本文"
                         "“建档立卡指标”一节。",
    "progress_targets": "每个规划目标在各报告年份（year）对照实际值的结果及状态。只有全县目标时，"
                        "乡镇行只有实际值和占全县比例，没有目标。",
    "progress_trajectory": "各指标、序列、年份和地域的规划值（写明或插值）与实际值，以及截至报告"
                           "年份每年的状态。",
    "village_exits": "每个贫困村截至各报告年份的退出情况（发生率低于阈值）与规划时序的对照。",
    "exit_audit": "脱贫属性与收入、住房、饮水或自身历史相矛盾的户（只有假名键）。",
    "income_summary": "按年份和地区（全县、各乡镇）统计的建档立卡户人均纯收入：户数、四分位数、箱线图须线、低于贫困线的户数。简报的箱线图和收入表读此表，而不读 registry_households。",
    "income_outliers": "按年份和地区列出箱线图须线以外的人均纯收入（简报箱线图中的点）：每个不同的收入值一行，附户数。",
    "income_distribution": "按年份和地区（全县、各乡镇）统计的建档立卡户人均纯收入直方图；列出全部分组，空组户数为 0。",
    "exit_audit_counts": "按年份、乡镇和发现类型统计的退出核查户数；简报读此表，而不读 exit_audit。",
}

#: Why a table without a pseudonymous key is personal data anyway (``Table.personal_note``).
PERSONAL_NOTES_ZH: dict[str, str] = {
    "registry_findings": "导出文件中每个有问题的行一条记录（文件、行号、遮盖后的值）",
}
