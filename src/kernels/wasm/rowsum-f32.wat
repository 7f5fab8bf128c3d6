;; The float32 twin of rowsum-f64.wat: out[i] = sum over j of m[i][j], each sum kept in float64 from
;; j = 0 upwards and rounded to float32 once, as the TypeScript loop (sumColumnsInto, whose sum is
;; a JavaScript number) does, so every result is the same to the last bit. Lanes hold rows i..i+3
;; (two float64 vectors); addresses are byte offsets.
(module
  (import "env" "memory" (memory 1))

  (func (export "sumRows")
    (param $m i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $i i32) (local $p i32) (local $end i32) (local $rowBytes i32) (local $four i32)
    (local $s01 v128) (local $s23 v128) (local $s f64)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $four (i32.and (local.get $rows) (i32.const -4)))
    (block $qdone (loop $quad
      (br_if $qdone (i32.ge_u (local.get $i) (local.get $four)))
      (local.set $p (i32.add (local.get $m) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $end (i32.add (local.get $p) (local.get $rowBytes)))
      (local.set $s01 (v128.const i64x2 0 0))
      (local.set $s23 (v128.const i64x2 0 0))
      (block $jdone (loop $col
        (br_if $jdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s01 (f64x2.add (local.get $s01) (f64x2.promote_low_f32x4
          (v128.load32_lane 1 (i32.add (local.get $p) (local.get $rowBytes)) (v128.load32_zero (local.get $p))))))
        (local.set $s23 (f64x2.add (local.get $s23) (f64x2.promote_low_f32x4
          (v128.load32_lane 1 (i32.add (local.get $p) (i32.mul (local.get $rowBytes) (i32.const 3)))
            (v128.load32_zero (i32.add (local.get $p) (i32.shl (local.get $rowBytes) (i32.const 1))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $col)))
      (f32.store offset=0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $s01))))
      (f32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $s01))))
      (f32.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $s23))))
      (f32.store offset=12 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $s23))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $quad)))
    (block $rdone (loop $row
      (br_if $rdone (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $p (i32.add (local.get $m) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $end (i32.add (local.get $p) (local.get $rowBytes)))
      (local.set $s (f64.const 0))
      (block $jdone (loop $col
        (br_if $jdone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $col)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))) (f32.demote_f64 (local.get $s)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row)))
  )
)
